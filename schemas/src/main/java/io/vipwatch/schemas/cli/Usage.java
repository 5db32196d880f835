package io.vipwatch.schemas.cli;

import java.util.function.Supplier;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The one way a command turns a bad flag into bad usage: the settings and options classes throw
 * {@link IllegalArgumentException} naming the flag, and the command reports it as picocli's usage error (the message,
 * the usage, exit code 2).
 */
public final class Usage {

    private Usage() {
    }

    /** {@code build}'s value. @throws ParameterException with the message of its IllegalArgumentException */
    public static <T> T check(final CommandSpec spec, final Supplier<T> build) {
        try {
            return build.get();
        } catch (final IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}

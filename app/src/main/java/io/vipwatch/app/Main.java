package io.vipwatch.app;

import io.vipwatch.bench.BenchCommand;
import io.vipwatch.collector.cli.CollectCommand;
import io.vipwatch.collector.cli.NodeAgentCommand;
import io.vipwatch.ops.cli.AlertmanagerCommand;
import io.vipwatch.store.cli.HistoryCommand;
import io.vipwatch.store.cli.ServeCommand;
import io.vipwatch.store.cli.StoreCommand;
import io.vipwatch.streams.cli.AnalyzeCommand;
import io.vipwatch.streams.cli.ReplayCommand;
import io.vipwatch.streams.cli.StreamsCommand;
import io.vipwatch.schemas.policy.Redaction;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code vipwatch} command: every role is a subcommand.
 */
@Command(name = "vipwatch", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Audits who really holds each Kubernetes load-balancer VIP across a fleet.",
        subcommands = {
            DemoCommand.class,
            CollectCommand.class,
            NodeAgentCommand.class,
            StreamsCommand.class,
            StoreCommand.class,
            ServeCommand.class,
            HistoryCommand.class,
            AnalyzeCommand.class,
            ReplayCommand.class,
            BenchCommand.class,
            AlertmanagerCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main {

    public static void main(final String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand registered; tests run it in process. */
    public static CommandLine commandLine() {
        final CommandLine commandLine = new CommandLine(new Main());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(Main::badUsage);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("vipwatch " + cmd.getCommandName() + ": " + Redaction.message(e.getMessage()));
                return 2;
            }
            throw e;
        });
        return commandLine;
    }

    /**
     * Bad usage, without echoing secrets: an unknown option's value is not shown (a misspelt --jdbc-password=VALUE
     * carries a password), nor are unmatched arguments that are not options (the value after a misspelt option).
     */
    private static int badUsage(final CommandLine.ParameterException e, final String[] args) {
        final CommandLine cmd = e.getCommandLine();
        final PrintWriter err = cmd.getErr();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            final List<String> options = new ArrayList<>();
            int hidden = 0;
            for (final String argument : unmatched.getUnmatched()) {
                if (argument.startsWith("-")) {
                    final int equals = argument.indexOf('=');
                    options.add("'" + (equals < 0 ? argument : argument.substring(0, equals) + "=" + Redaction.HIDDEN)
                            + "'");
                } else {
                    hidden++;
                }
            }
            err.println("vipwatch " + cmd.getCommandName() + ": " + (options.isEmpty() ? "unknown arguments"
                    : "unknown option" + (options.size() == 1 ? " " : "s ") + String.join(", ", options))
                    + (hidden == 0 ? "" : " (" + hidden + " other argument" + (hidden == 1 ? "" : "s")
                            + " not shown)"));
            CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, err);
        } else {
            err.println("vipwatch " + cmd.getCommandName() + ": " + Redaction.message(e.getMessage()));
        }
        err.println("Try 'vipwatch " + (cmd.getParent() == null ? "" : cmd.getCommandName() + " ") + "--help' for more "
                + "information.");
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"vipwatch " + (version == null ? "dev" : version)};
        }
    }
}

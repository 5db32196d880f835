package io.vipwatch.store;

/**
 * A history query asked for something that cannot be answered: a bad IP, a bad time range, an unknown
 * cluster. The message names the parameter and what is wrong; the HTTP API answers 400 with it.
 */
public final class InvalidQueryException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    public InvalidQueryException(final String parameter, final String message) {
        super(parameter + ": " + message);
        this.parameter = parameter;
    }

    /** The parameter that was wrong: cluster, ip, at, from, to, kind, limit. */
    public String parameter() {
        return parameter;
    }
}

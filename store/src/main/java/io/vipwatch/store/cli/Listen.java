package io.vipwatch.store.cli;

/** A HOST:PORT to listen on ({@code :8080} and {@code 8080} mean 127.0.0.1:8080; {@code [::]:8080} for IPv6). */
record Listen(String host, int port) {

    static Listen parse(final String option, final String text) {
        final String value = text.trim();
        final int colon = value.lastIndexOf(':');
        final String host = colon < 0 ? "" : value.substring(0, colon).replace("[", "").replace("]", "");
        final String port = colon < 0 ? value : value.substring(colon + 1);
        try {
            final int number = Integer.parseInt(port);
            if (number < 0 || number > 65535) {
                throw new NumberFormatException();
            }
            return new Listen(host.isEmpty() ? "127.0.0.1" : host, number);
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not HOST:PORT (e.g. 0.0.0.0:8080)");
        }
    }
}

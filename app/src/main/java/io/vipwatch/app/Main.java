package io.vipwatch.app;

import io.vipwatch.bench.BenchCommand;
import io.vipwatch.collector.cli.CollectCommand;
import io.vipwatch.collector.cli.NodeAgentCommand;
import io.vipwatch.store.cli.HistoryCommand;
import io.vipwatch.store.cli.ServeCommand;
import io.vipwatch.store.cli.StoreCommand;
import io.vipwatch.streams.cli.AnalyzeCommand;
import io.vipwatch.streams.cli.ReplayCommand;
import io.vipwatch.streams.cli.StreamsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("vipwatch " + cmd.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return commandLine;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"vipwatch " + (version == null ? "dev" : version)};
        }
    }
}

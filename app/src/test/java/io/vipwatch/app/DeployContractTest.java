package io.vipwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The deployment files say only what vipwatch understands: every container's and compose service's arguments
 * are a real subcommand with real flags, every VIPWATCH_* variable is one a role reads, compose's host ports
 * don't clash and every compose service has a healthcheck, and the README's deploy commands parse.
 */
class DeployContractTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VARIABLE = Pattern.compile("VIPWATCH_[A-Z0-9_]+");

    /** Every VIPWATCH_* variable a role reads: named in an option's default or description. */
    private static Set<String> knownVariables() {
        final Set<String> names = new TreeSet<>();
        collect(Main.commandLine().getCommandSpec(), names);
        return names;
    }

    private static void collect(final CommandSpec spec, final Set<String> names) {
        for (final OptionSpec option : spec.options()) {
            final StringBuilder text = new StringBuilder(String.valueOf(option.defaultValue()));
            for (final String line : option.description()) {
                text.append(' ').append(line);
            }
            final Matcher matcher = VARIABLE.matcher(text);
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        spec.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), names));
    }

    /** Parses like the jar would; a required flag left to an environment variable is fine. */
    private static void assertParses(final String where, final List<String> args) {
        try {
            Main.commandLine().parseArgs(args.toArray(String[]::new));
        } catch (final CommandLine.MissingParameterException e) {
            // given by an environment variable in the deployment
        } catch (final CommandLine.ParameterException e) {
            throw new AssertionError(where + ": vipwatch " + String.join(" ", args) + ": " + e.getMessage(), e);
        }
        assertThat(Main.commandLine().getSubcommands()).as(where).containsKey(args.get(0));
    }

    private static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT.resolve("deploy/kubernetes"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyKubernetesContainerRunsARealSubcommandWithRealFlagsAndVariables() throws IOException {
        final Set<String> known = knownVariables();
        assertThat(known).contains("VIPWATCH_BOOTSTRAP_SERVERS", "VIPWATCH_METRICS_PORT", "VIPWATCH_ALERTMANAGER_URL");
        final List<String> checked = new ArrayList<>();
        for (final Path file : manifests()) {
            final String text = Files.readString(file);
            final Matcher variables = VARIABLE.matcher(text);
            while (variables.find()) {
                assertThat(known).as("%s names %s", ROOT.relativize(file), variables.group()).contains(variables.group());
            }
            for (final JsonNode doc : YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).readAll()) {
                final JsonNode containers = doc.at("/spec/template/spec/containers");
                for (final JsonNode container : containers) {
                    final List<String> args = new ArrayList<>();
                    container.path("args").forEach(arg -> args.add(arg.asText()));
                    assertParses(ROOT.relativize(file) + " " + doc.at("/metadata/name").asText(), args);
                    checked.add(args.get(0));
                    assertThat(container.at("/readinessProbe/httpGet/path").asText()).as("%s readiness", file).isEqualTo("/readyz");
                    assertThat(container.at("/livenessProbe/httpGet/path").asText()).as("%s liveness", file).isEqualTo("/healthz");
                }
            }
        }
        assertThat(checked).contains("collect", "node-agent", "streams", "store", "serve", "alertmanager");
    }

    @Test
    void onlyTheProbingAgentAddsACapabilityAndItIsNetRawAloneEveryOtherDropped() throws IOException {
        final List<String> probers = new ArrayList<>();
        for (final Path file : manifests()) {
            for (final JsonNode doc : YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).readAll()) {
                for (final JsonNode container : doc.at("/spec/template/spec/containers")) {
                    final String where = ROOT.relativize(file) + " " + container.path("name").asText();
                    final JsonNode capabilities = container.at("/securityContext/capabilities");
                    assertThat(capabilities.path("drop").toString()).as("%s drops every capability", where)
                            .isEqualTo("[\"ALL\"]");
                    assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true))
                            .as("%s allowPrivilegeEscalation", where).isFalse();
                    final boolean probes = container.path("args").toString().contains("\"--probe\"");
                    if (probes) {
                        probers.add(where);
                        assertThat(capabilities.path("add").toString()).as("%s adds", where).isEqualTo("[\"NET_RAW\"]");
                        assertThat(doc.at("/spec/template/spec/hostNetwork").asBoolean()).as("%s hostNetwork", where)
                                .isTrue();
                    } else {
                        assertThat(capabilities.has("add")).as("%s adds no capability", where).isFalse();
                    }
                }
            }
        }
        assertThat(probers).as("the probing node agent").hasSize(1);
    }

    @Test
    void composeRunsRealCommandsWithRealVariablesDistinctPortsAndHealthchecks() throws IOException {
        final Path file = ROOT.resolve("docker-compose.yml");
        final JsonNode compose = YAML.readTree(file.toFile());
        final Set<String> known = knownVariables();
        final Set<String> hostPorts = new HashSet<>();
        final Set<String> roles = new TreeSet<>();
        for (final Map.Entry<String, JsonNode> service : compose.get("services").properties()) {
            final JsonNode spec = service.getValue();
            assertThat(spec.has("healthcheck")).as("service %s has a healthcheck", service.getKey()).isTrue();
            for (final JsonNode port : spec.path("ports")) {
                final String host = port.asText().split(":")[0];
                assertThat(hostPorts.add(host)).as("host port %s used twice", host).isTrue();
            }
            spec.path("environment").fieldNames().forEachRemaining(name -> {
                if (name.startsWith("VIPWATCH_")) {
                    assertThat(known).as("service %s sets %s", service.getKey(), name).contains(name);
                }
            });
            final boolean vipwatch = spec.path("image").asText().startsWith("vipwatch:");
            if (vipwatch && spec.has("command")) {
                final List<String> args = new ArrayList<>();
                spec.get("command").forEach(arg -> args.add(arg.asText()));
                assertParses("docker-compose.yml " + service.getKey(), args);
                roles.add(args.get(0));
            }
        }
        assertThat(roles).containsExactlyInAnyOrder("streams", "store", "serve", "alertmanager");
        for (final String mounted : List.of("deploy/prometheus/prometheus.yml", "deploy/prometheus/vipwatch-rules.yml",
                "deploy/alertmanager/alertmanager.yml")) {
            assertThat(ROOT.resolve(mounted)).as("compose mounts %s", mounted).exists();
        }
    }

    @Test
    void theReadmesDeploySectionNamesRealCommandsFlagsAndFiles() throws IOException {
        final String readme = Files.readString(ROOT.resolve("README.md"));
        final int start = readme.indexOf("## Deploy for real");
        assertThat(start).as("README has a 'Deploy for real' section").isNotNegative();
        final int end = readme.indexOf("\n## ", start + 5);
        final String section = readme.substring(start, end < 0 ? readme.length() : end);
        int commands = 0;
        for (final String line : section.lines().map(String::strip).toList()) {
            if (line.startsWith("vipwatch ")) {
                final List<String> args = new ArrayList<>(List.of(line.substring("vipwatch ".length())
                        .replaceAll("\\s+#.*$", "").replace("\\", "").trim().split("\\s+")));
                assertParses("README", args);
                commands++;
            }
        }
        assertThat(commands).as("commands in the section").isGreaterThanOrEqualTo(4);
        final Matcher paths = Pattern.compile("\\((deploy/[^)\\s]+|docs/[^)\\s#]+|docker-compose\\.yml)").matcher(section);
        while (paths.find()) {
            assertThat(ROOT.resolve(paths.group(1))).as("README links %s", paths.group(1)).exists();
        }
        final Matcher variables = VARIABLE.matcher(section);
        final Set<String> known = knownVariables();
        while (variables.find()) {
            assertThat(known).as("README names %s", variables.group()).contains(variables.group());
        }
    }
}

# The vipwatch image: one jar, every role a subcommand.  docker build -t vipwatch:0.1.0-SNAPSHOT .
# Build stage: Maven builds the shaded jar (tests run in CI, not here).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package && cp app/target/vipwatch.jar /vipwatch.jar

# Runtime: a JRE, non-root.
FROM eclipse-temurin:17-jre
# iproute2: the node agent follows address changes with `ip -o monitor address`; iputils-arping: its ARP probes
# (node-agent --probe); curl: healthchecks of /readyz
RUN apt-get update && apt-get install -y --no-install-recommends iproute2 iputils-arping curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 vipwatch
COPY --from=build /vipwatch.jar /opt/vipwatch/vipwatch.jar
USER 10001
ENTRYPOINT ["java", "-jar", "/opt/vipwatch/vipwatch.jar"]
CMD ["--help"]

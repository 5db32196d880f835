# The vipwatch image: one jar, every role a subcommand. Build the jar first: mvn -B -DskipTests package
FROM eclipse-temurin:17-jre
# iproute2: the node agent follows address changes with `ip -o monitor address`
RUN apt-get update && apt-get install -y --no-install-recommends iproute2 && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 vipwatch
COPY app/target/vipwatch.jar /opt/vipwatch/vipwatch.jar
USER 10001
ENTRYPOINT ["java", "-jar", "/opt/vipwatch/vipwatch.jar"]
CMD ["--help"]

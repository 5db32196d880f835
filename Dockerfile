# The vipwatch image: one jar, every role a subcommand. Build the jar first: mvn -B -DskipTests package
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 vipwatch
COPY app/target/vipwatch.jar /opt/vipwatch/vipwatch.jar
USER 10001
ENTRYPOINT ["java", "-jar", "/opt/vipwatch/vipwatch.jar"]
CMD ["--help"]

# The Engines service as a container: runs the jar that `./mvnw -B -ntp -DskipTests -pl engines-api -am package`
# built (the image does not build it, so it needs no network or Maven cache). docker-compose.yml's
# `engines` service builds this file; see docs/operations.md ("Container") for its settings.
FROM eclipse-temurin:25.0.1_8-jre
RUN groupadd --system engines && useradd --system --gid engines --home-dir /var/lib/engines --create-home engines
COPY engines-api/target/engines-api-*-SNAPSHOT.jar /opt/engines/engines.jar
USER engines
WORKDIR /var/lib/engines
EXPOSE 8080
# SIGTERM reaches the JVM directly (exec form), so the graceful shutdown (server.shutdown) runs.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/engines/engines.jar"]

# syntax=docker/dockerfile:1
# kafka-dr's image: the jar built with the project's own Maven wrapper, run on a JRE as a non-root user from
# Spring Boot's layers (the dependencies layer changes rarely, so a new version pushes only a small layer).
#   docker build -t registry.example.com/kafka-dr:0.1.0 . && docker push registry.example.com/kafka-dr:0.1.0
# Runs the backup, restore, verify, backups and history commands; the demo needs the project directory, where
# the build unpacks the registry it starts.

FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY jobs jobs
COPY src src
# -Dmdep.skip: the build would otherwise unpack the Apicurio registry, which only the tests and the demo use.
# The cache mount (BuildKit, Docker's default builder) keeps Maven's downloads between builds.
RUN --mount=type=cache,target=/root/.m2 \
	./mvnw -B -ntp -DskipTests -Dmdep.skip=true package \
	&& java -Djarmode=tools -jar target/kafka-dr.jar extract --layers --launcher --destination /extracted

FROM eclipse-temurin:21-jre
# A numeric user, so that Kubernetes can check runAsNonRoot; k8s/ runs the pods as the same 10001.
RUN groupadd --system --gid 10001 kafka-dr \
	&& useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin kafka-dr
WORKDIR /opt/kafka-dr
# least often changed first
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
USER 10001:10001
# Exec form: java is PID 1 and gets SIGTERM itself. Arguments are the command line of `kafka-dr`:
#   docker run --rm registry.example.com/kafka-dr:0.1.0 backup --spring.kafka.bootstrap-servers=...
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]

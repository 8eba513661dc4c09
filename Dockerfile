# syntax=docker/dockerfile:1
# kafka-dr's image: the jar built with the project's own Maven wrapper, run on a JRE as a non-root user from
# Spring Boot's layers (the dependencies layer changes rarely, so a new version pushes only a small layer).
#   docker build -t registry.example.com/kafka-dr:0.1.0 . && docker push registry.example.com/kafka-dr:0.1.0
# Runs the backup, restore, verify, backups, history and prune commands; the demo, which needs a broker and a
# registry, runs from the project directory (README) and is not in the image.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY jobs jobs
COPY src src
# -Dapicurio.skip: the build would otherwise unpack the Apicurio registry, which only the tests and the demo use.
# The test classes and their dependencies go to /sandbox, for the AOT cache's training broker below; none of them
# reaches the image. The cache mount (BuildKit, Docker's default builder) keeps Maven's downloads between builds.
RUN --mount=type=cache,target=/root/.m2 \
	./mvnw -B -ntp -DskipTests -Dapicurio.skip=true package dependency:copy-dependencies -DincludeScope=test \
		-DoutputDirectory=/sandbox/lib \
	&& java -Djarmode=tools -jar target/kafka-dr.jar extract --layers --destination /extracted \
	&& cp -r target/classes /sandbox/classes && cp -r target/test-classes /sandbox/test-classes

# Java 25: the JVM's AOT cache (below) needs it, and the cache must be made and used by the same JVM.
FROM eclipse-temurin:25-jre
# A numeric user, so that Kubernetes can check runAsNonRoot; k8s/ runs the pods as the same 10001.
RUN groupadd --system --gid 10001 kafka-dr \
	&& useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin kafka-dr
WORKDIR /opt/kafka-dr
# least often changed first
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
# The AOT cache (JEP 483/514, Spring Boot's "AOT Cache"): the classes a run loads, linked ahead of time, with their
# method profiles, made by a training run. aot/train makes it as bench/run does: a real backup of a small topic on a
# sandbox broker that the build's test classes start for the length of this RUN (nothing of either stays in the
# image). It cuts kafka-dr's start-up by more than a third (docs/benchmarks.md, Start-up), which every CronJob run
# pays. The jar's path must be the training run's, so both give it whole. The JVM's warnings go to stderr, so that
# stdout is only kafka-dr's output; its AOT warnings are hidden (this JDK warns about its own code cache on every
# start), its AOT errors (a cache that does not fit this JVM or jar) are not.
COPY aot/train /tmp/aot-train
RUN --mount=type=bind,from=build,source=/sandbox,target=/sandbox \
	/tmp/aot-train /opt/kafka-dr "/sandbox/test-classes:/sandbox/classes:/sandbox/lib/*" && rm /tmp/aot-train
USER 10001:10001
# Exec form: java is PID 1 and gets SIGTERM itself. Arguments are the command line of `kafka-dr`:
#   docker run --rm registry.example.com/kafka-dr:0.1.0 backup --spring.kafka.bootstrap-servers=...
ENTRYPOINT ["java", "-XX:AOTCache=/opt/kafka-dr/kafka-dr.aot", "-Xlog:disable", "-Xlog:all=warning,aot*=error:stderr", \
	"-jar", "/opt/kafka-dr/kafka-dr.jar"]

package io.github.pcapunit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Maven build of a project under {@code src/test/maven/<name>}, copied to {@code work},
 * run with the Maven that runs this build and the capture-maven-plugin that the maven-plugin
 * module's invoker ITs installed into {@code maven-plugin/target/it-repo} (so: run the reactor,
 * {@code ./mvnw verify}). What the outer build already downloaded is reused through a settings
 * file that names its local repository as a remote.
 *
 * <pre>{@code
 * ChildMaven build = ChildMaven.of("sql-server-build", work);
 * Shell.Result r = Shell.run(Duration.ofMinutes(5), build.command("-Ddb.address=10.200.1.2", "verify"));
 * }</pre>
 */
final class ChildMaven {

    private final Path project;
    private final Path settings;
    private final Path itRepo;

    private ChildMaven(Path project, Path settings, Path itRepo) {
        this.project = project;
        this.settings = settings;
        this.itRepo = itRepo;
    }

    /** Copies the template project {@code name} into a fresh {@code work/name} and writes the settings. */
    static ChildMaven of(String name, Path work) throws IOException {
        Path project = work.resolve(name);
        delete(project);   // an earlier run's build.log and target/ would mislead
        copy(Path.of("src", "test", "maven", name), project);
        Path itRepo = Path.of(System.getProperty("pcapunit.it.pluginRepo"));
        assertThat(itRepo.resolve("io/github/pcapunit/capture-maven-plugin"))
                .as("the plugin installed by the maven-plugin module's ITs: run the reactor, ./mvnw verify")
                .isDirectory();
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, settingsXml(Path.of(System.getProperty("pcapunit.it.userRepo"))));
        return new ChildMaven(project, settings, itRepo);
    }

    /** The project's directory. */
    Path project() {
        return project;
    }

    /** Its build log ({@code -l}). */
    Path log() {
        return project.resolve("build.log");
    }

    /** The mvn command line: versions of this build, the log, then {@code args} (properties, goals). */
    String[] command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("pcapunit.it.mavenHome"), "bin", "mvn").toString(), "-B",
                "-s", settings.toString(),
                "-Dmaven.repo.local=" + itRepo,
                "-Dpcapunit.version=" + System.getProperty("pcapunit.it.version"),
                "-Djunit.version=" + System.getProperty("pcapunit.it.junitVersion"),
                "-Dsurefire.version=" + System.getProperty("pcapunit.it.surefireVersion"),
                "-f", project.resolve("pom.xml").toString(),
                "-l", log().toString()));
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    private static String settingsXml(Path userRepo) {
        String url = userRepo.toUri().toString();
        return """
                <settings>
                  <profiles>
                    <profile>
                      <id>outer-build-repo</id>
                      <activation><activeByDefault>true</activeByDefault></activation>
                      <repositories>
                        <repository><id>outer</id><url>%1$s</url>
                          <releases><checksumPolicy>ignore</checksumPolicy></releases></repository>
                      </repositories>
                      <pluginRepositories>
                        <pluginRepository><id>outer</id><url>%1$s</url>
                          <releases><checksumPolicy>ignore</checksumPolicy></releases></pluginRepository>
                      </pluginRepositories>
                    </profile>
                  </profiles>
                </settings>
                """.formatted(url);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.collect(Collectors.toList())) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}

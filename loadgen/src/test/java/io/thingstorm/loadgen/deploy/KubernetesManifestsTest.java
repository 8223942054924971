package io.thingstorm.loadgen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes/ cannot be applied here (no cluster); this keeps a broken manifest from
 * reaching a user: every file parses as YAML, and the Job is an Indexed Job whose shards line up.
 */
class KubernetesManifestsTest {
  private static final Path DIR = Path.of("..", "deploy", "kubernetes");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode read(String name) throws IOException {
    return YAML.readTree(DIR.resolve(name).toFile());
  }

  @Test
  void everyManifestParsesAndHasAKind() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.list(DIR)) {
      all.filter(p -> p.toString().endsWith(".yaml")).forEach(files::add);
    }
    assertThat(files).extracting(p -> p.getFileName().toString())
        .contains("job.yaml", "results-pvc.yaml", "results-reader.yaml");
    for (Path file : files) {
      JsonNode doc = YAML.readTree(file.toFile());
      assertThat(doc.path("apiVersion").asText()).as(file.toString()).isNotEmpty();
      assertThat(doc.path("kind").asText()).as(file.toString()).isNotEmpty();
      assertThat(doc.path("metadata").path("name").asText()).as(file.toString()).isNotEmpty();
    }
  }

  @Test
  void theJobRunsTwentyIndexedShardsThatKnowTheirIndexAndCount() throws IOException {
    JsonNode job = read("job.yaml");
    JsonNode spec = job.path("spec");

    assertThat(job.path("kind").asText()).isEqualTo("Job");
    assertThat(spec.path("completionMode").asText()).isEqualTo("Indexed");
    assertThat(spec.path("completions").asInt()).isEqualTo(20);
    assertThat(spec.path("parallelism").asInt()).isEqualTo(20);

    JsonNode container = spec.path("template").path("spec").path("containers").get(0);
    String command = container.path("command").toString() + container.path("args").toString();
    assertThat(command).contains("thingstorm run /scenarios/").contains("--out /results/shard-").contains("JOB_COMPLETION_INDEX");
    // Kubernetes sets only the index; the count must be given and agree with completions.
    String completions = null;
    for (JsonNode env : container.path("env")) {
      if (env.path("name").asText().equals("JOB_COMPLETIONS")) completions = env.path("value").asText();
    }
    assertThat(completions).isEqualTo(String.valueOf(spec.path("completions").asInt()));
  }

  @Test
  void theJobsVolumesNameTheConfigMapSecretAndSharedClaim() throws IOException {
    JsonNode podSpec = read("job.yaml").path("spec").path("template").path("spec");
    String volumes = podSpec.path("volumes").toString();
    assertThat(volumes).contains("\"configMap\"").contains("\"secret\"").contains("\"claimName\":\"thingstorm-results\"");

    JsonNode claim = read("results-pvc.yaml");
    assertThat(claim.path("kind").asText()).isEqualTo("PersistentVolumeClaim");
    assertThat(claim.path("metadata").path("name").asText()).isEqualTo("thingstorm-results");
    assertThat(claim.path("spec").path("accessModes").toString()).contains("ReadWriteMany");
  }

  @Test
  void theDockerfileStartsFromTemurin21AndCopiesTheBuiltCli() throws IOException {
    String dockerfile = Files.readString(DIR.resolve("Dockerfile"));
    assertThat(dockerfile).contains("FROM eclipse-temurin:21-jre").contains("cli/target/thingstorm.jar").contains("cli/target/lib/")
        .contains("deploy/kubernetes/thingstorm.sh /usr/local/bin/thingstorm");
  }

  @Test
  void theImagesLauncherPassesJavaOptsAndArguments_andASecondC2ThreadOnSmallMachines() throws Exception {
    // The launcher as the image has it, with a java that prints what it was given.
    Path bin = Files.createTempDirectory("fake-java");
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
    java.toFile().setExecutable(true);
    ProcessBuilder launch = new ProcessBuilder("sh", DIR.resolve("thingstorm.sh").toString(), "run", "a b.yaml");
    launch.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    launch.environment().put("JAVA_OPTS", "-XX:MaxRAMPercentage=75");
    Process process = launch.redirectErrorStream(true).start();
    String printed = new String(process.getInputStream().readAllBytes()).strip();

    assertThat(process.waitFor()).isZero();
    assertThat(printed).endsWith("-XX:MaxRAMPercentage=75 -jar /opt/thingstorm/thingstorm.jar run a b.yaml");
    if (Runtime.getRuntime().availableProcessors() < 4) assertThat(printed).startsWith("-XX:CICompilerCount=3 ");
  }
}

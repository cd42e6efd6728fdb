package io.kestra.upgrade.sandbox.demo;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.images.Engine;
import io.kestra.upgrade.images.SimImages;
import io.kestra.upgrade.sandbox.stack.ComposeFleetPart;
import io.kestra.upgrade.sandbox.stack.FleetSpec;
import io.kestra.upgrade.sandbox.stack.Stack;
import io.kestra.upgrade.sandbox.support.Http;
import io.kestra.upgrade.sandbox.support.Poll;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The upgrade guide's own way on a Compose fleet, under the same load as the demo: change the image
 * tag in the Compose file and run {@code docker-compose up -d}, Compose's defaults untouched (every
 * container recreated at once, each stopped with a 10 s time-out), the servers migrating the schema
 * as they start (Kestra's default, which this way relies on). No coordinator, no agent acts. The
 * upgrade is over when every server runs the new image and is ready.
 */
public final class Naive {

  private final Stack stack;
  private final ComposeFleetPart compose;
  private final FleetLoad load;
  private final Http http = new Http();
  private final PrintStream out;

  /**
   * @throws IllegalArgumentException when the stack is not a Compose one
   */
  public Naive(Stack stack, PrintStream out) {
    this.stack = stack;
    this.compose =
        stack
            .compose()
            .orElseThrow(
                () -> new IllegalArgumentException("the naive upgrade runs on a Compose stack"));
    this.load = new FleetLoad(stack.webserverUrl(), out);
    this.out = out;
  }

  /** Upgrades from {@code from} to {@code target} the guide's way and returns the summary. */
  public Summary run(String from, KestraVersion target) throws IOException, InterruptedException {
    load.awaitFlowing();
    String oldImage = SimImages.image(from, true);
    String newImage = SimImages.image(target.toString(), true);
    Instant t0 = Instant.now();
    boolean upgraded;
    Instant ended;
    try (ApiProbe probe = new ApiProbe(stack.webserverUrl()).start();
        FleetLoad.Watch inFlight = load.watchInFlight(t0)) {
      // what an operator does by hand: the tag in the file, then up -d
      String file = Files.readString(compose.file(), StandardCharsets.UTF_8);
      Files.writeString(compose.file(), file.replace(oldImage, newImage), StandardCharsets.UTF_8);
      out.printf("▶ %s → %s in %s; docker-compose up -d%n", oldImage, newImage, compose.file());
      String said = run(compose.compose("up", "-d"));
      said.lines().map(l -> "  " + l).forEach(out::println);
      upgraded = awaitUpgraded(newImage);
      ended = Instant.now();
      probe.close();
      long total = Duration.between(t0, ended).toMillis();
      out.printf(
          "■ %s after %.1f s%n",
          upgraded ? "every server runs " + newImage + " and is ready" : "not every server came up",
          total / 1000.0);
      load.settle(ended);
      Summary.Probe p = probe.result();
      return new Summary(
          stack.platform().wire(),
          upgraded ? "SUCCEEDED" : "FAILED",
          null,
          from,
          target.toString(),
          total,
          p.downtimeMs(),
          p.failed(),
          null,
          null,
          inFlight.doneMs(),
          load.tasks(),
          p);
    }
  }

  /** Every container of the project on {@code image}, every server's readiness UP (5 min). */
  private boolean awaitUpgraded(String image) throws InterruptedException {
    try {
      Poll.until(
          "every server on " + image + " and ready", Duration.ofMinutes(5), () -> ready(image));
      return true;
    } catch (Poll.TimedOutException e) {
      out.println("✗ " + e.getMessage());
      return false;
    }
  }

  private boolean ready(String image) {
    List<Container> containers;
    try (DockerClient docker = Engine.client()) {
      containers =
          docker
              .listContainersCmd()
              .withLabelFilter(Map.of("com.docker.compose.project", ComposeFleetPart.PROJECT))
              .exec();
    } catch (IOException | RuntimeException e) {
      return false;
    }
    if (containers.size() != stack.fleet().servers().size()
        || !containers.stream().allMatch(c -> image.equals(c.getImage()))) {
      return false;
    }
    for (FleetSpec.Server s : stack.fleet().servers()) {
      try {
        Http.Answer a =
            http.get(
                "http://localhost:" + s.managementPort() + "/health/readiness",
                Duration.ofSeconds(1));
        if (a.status() != 200) {
          return false;
        }
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " ran over 5 minutes");
    }
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text);
    }
    return text;
  }
}

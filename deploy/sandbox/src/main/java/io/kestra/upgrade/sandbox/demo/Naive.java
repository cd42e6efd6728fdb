package io.kestra.upgrade.sandbox.demo;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.images.Engine;
import io.kestra.upgrade.images.SimImages;
import io.kestra.upgrade.sandbox.stack.ComposeFleetPart;
import io.kestra.upgrade.sandbox.stack.FleetSpec;
import io.kestra.upgrade.sandbox.stack.ManagedProcess;
import io.kestra.upgrade.sandbox.stack.Stack;
import io.kestra.upgrade.sandbox.support.Http;
import io.kestra.upgrade.sandbox.support.Poll;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The upgrade guide's own way, under the same load as the demo, no coordinator nor agent acting
 * (the agents are stopped first, their servers left running):
 *
 * <ul>
 *   <li>on Compose: change the image tag in the Compose file and run {@code docker-compose up -d},
 *       Compose's defaults untouched (every container recreated at once, each stopped with a 10 s
 *       time-out), the servers migrating the schema as they start (Kestra's default, which this way
 *       relies on). Over when every container runs the new image and every server is ready;
 *   <li>on processes: SIGTERM to every server at once, SIGKILL to those still alive after 10 s,
 *       {@code kestra-<target> sys database migrate} once, then every server started on the target.
 *       Over when every server is ready.
 * </ul>
 */
public final class Naive {

  /** How long the guide's ways give a server to stop: Compose's default stop time-out. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Stack stack;
  private final FleetLoad load;
  private final Http http = new Http();
  private final PrintStream out;

  public Naive(Stack stack, PrintStream out) {
    this.stack = stack;
    this.load = new FleetLoad(stack.apiUrls(), out);
    this.out = out;
  }

  /** Upgrades from {@code from} to {@code target} the guide's way and returns the summary. */
  public Summary run(String from, KestraVersion target) throws IOException, InterruptedException {
    load.awaitFlowing();
    stack.stopAgents();
    Instant t0 = Instant.now();
    boolean upgraded;
    Instant ended;
    try (ApiProbe probe = new ApiProbe(stack.apiUrls()).start();
        FleetLoad.Watch inFlight = load.watchInFlight(t0)) {
      upgraded =
          stack.compose().isPresent()
              ? compose(stack.compose().get(), from, target)
              : processes(target);
      ended = Instant.now();
      probe.close();
      long total = Duration.between(t0, ended).toMillis();
      out.printf(
          "■ %s after %.1f s%n",
          upgraded ? "every server runs " + target + " and is ready" : "not every server came up",
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
          p,
          null);
    }
  }

  /** What an operator does by hand: the tag in the file, then {@code up -d}. */
  private boolean compose(ComposeFleetPart compose, String from, KestraVersion target)
      throws IOException, InterruptedException {
    String oldImage = SimImages.image(from, true);
    String newImage = SimImages.image(target.toString(), true);
    String file = Files.readString(compose.file(), StandardCharsets.UTF_8);
    Files.writeString(compose.file(), file.replace(oldImage, newImage), StandardCharsets.UTF_8);
    out.printf("▶ %s → %s in %s; docker-compose up -d%n", oldImage, newImage, compose.file());
    String said = run(compose.compose("up", "-d"));
    said.lines().map(l -> "  " + l).forEach(out::println);
    return awaitReady("every server on " + newImage + " and ready", () -> onImage(newImage));
  }

  /** Everything stopped with a 10 s kill, one migration, everything started on the target. */
  private boolean processes(KestraVersion target) throws IOException, InterruptedException {
    List<ProcessHandle> servers = ManagedProcess.serversUnder(stack.layout().home());
    out.printf("▶ SIGTERM to %d servers, SIGKILL after %s%n", servers.size(), STOP_TIMEOUT);
    servers.forEach(ProcessHandle::destroy);
    Instant killAt = Instant.now().plus(STOP_TIMEOUT);
    for (ProcessHandle h : servers) {
      Duration left = Duration.between(Instant.now(), killAt);
      if (!left.isNegative()) {
        try {
          h.onExit().get(left.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          // still alive at the deadline: killed below
        }
      }
    }
    List<ProcessHandle> alive = servers.stream().filter(ProcessHandle::isAlive).toList();
    alive.forEach(ProcessHandle::destroyForcibly);
    out.printf("  %d server(s) killed at the deadline%n", alive.size());
    String launcher = stack.launcher(target.toString()).toString();
    FleetSpec.Server first = stack.fleet().servers().get(0);
    out.println("▶ " + launcher + " sys database migrate");
    run(List.of(launcher, "sys", "database", "migrate", "-c", stack.configFile(first).toString()));
    for (FleetSpec.Server s : stack.fleet().servers()) {
      List<String> command = new ArrayList<>(List.of(launcher, "server", s.kind()));
      command.addAll(s.serverArgs());
      command.addAll(List.of("-c", stack.configFile(s).toString()));
      ManagedProcess.of(stack.layout(), "kestra-naive-" + s.instance())
          .start(command, Map.of(), stack.layout().home());
    }
    out.printf("▶ %d servers started on %s%n", stack.fleet().servers().size(), target);
    return awaitReady("every server ready on " + target, () -> true);
  }

  /** Every server's readiness UP, and {@code more} (5 minutes at most). */
  private boolean awaitReady(String what, BooleanSupplier more) throws InterruptedException {
    try {
      Poll.until(what, Duration.ofMinutes(5), () -> more.getAsBoolean() && serversReady());
      return true;
    } catch (Poll.TimedOutException e) {
      out.println("✗ " + e.getMessage());
      return false;
    }
  }

  private boolean onImage(String image) {
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
    return containers.size() == stack.fleet().servers().size()
        && containers.stream().allMatch(c -> image.equals(c.getImage()));
  }

  private boolean serversReady() {
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

package io.kestra.upgrade.cli.upgrade;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The options of an upgrade request, one per field of {@code POST /api/v1/upgrades} (and {@code
 * /plan}), shared by {@code plan} and {@code start}. Only what is given is sent: the coordinator's
 * defaults apply to the rest, and its validation names the option that is wrong.
 */
public final class RequestOptions {

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "the cluster")
  String cluster;

  @Option(
      names = "--target",
      required = true,
      paramLabel = "VERSION",
      description = "the Kestra version to upgrade to, e.g. 1.0.3")
  String target;

  @Option(
      names = "--strategy",
      paramLabel = "STRATEGY",
      description = "FULL_STOP (default) or ROLLING")
  String strategy;

  @Option(
      names = "--backup",
      negatable = true,
      description = "dump the database before migrating (default: yes for FULL_STOP)")
  Boolean backup;

  @Option(
      names = "--migration",
      paramLabel = "MODE",
      description = "MANUAL (default: one agent migrates), MANUAL_AHEAD or AUTO")
  String migration;

  @Option(
      names = "--grace-period",
      paramLabel = "DURATION",
      description = "every server's grace period (default: each server's own); 90s, 5m, PT1M30S")
  String gracePeriod;

  @Option(
      names = "--kill-margin",
      paramLabel = "DURATION",
      description = "after the grace period, before SIGKILL (default 60s)")
  String killMargin;

  @Option(
      names = "--step-timeout",
      paramLabel = "DURATION",
      description = "the deadline of every step but STOP")
  String stepTimeout;

  @Option(
      names = "--progress-deadline",
      paramLabel = "DURATION",
      description = "the longest silence of a working agent (default 30s)")
  String progressDeadline;

  @Option(
      names = "--on-failure",
      paramLabel = "POLICY",
      description = "ROLLBACK (default), PAUSE or FAIL")
  String onFailure;

  @Option(names = "--allow-downgrade", description = "allow a target older than the cluster")
  Boolean allowDowngrade;

  @Option(
      names = "--acknowledge-breaking-changes",
      description = "go ahead across releases whose notes list breaking changes")
  Boolean acknowledgeBreakingChanges;

  @Option(
      names = "--maintenance-mode",
      description = "switch Kestra Enterprise into maintenance mode first (FULL_STOP)")
  Boolean maintenanceMode;

  @Option(
      names = "--max-unavailable",
      paramLabel = "KIND=N",
      description = "ROLLING: servers of a kind down at once, e.g. worker=2 (default 1)")
  Map<String, Integer> maxUnavailable;

  @Option(
      names = "--min-healthy",
      paramLabel = "DURATION",
      description = "ROLLING: how long each restarted server stays ready before the next")
  String minHealthy;

  @Option(
      names = "--restart",
      description = "ROLLING: restart every server on its version (--target = that version)")
  Boolean restart;

  @Option(
      names = "--pause-before",
      paramLabel = "PHASE",
      split = ",",
      description = "pause before these phases until resumed, e.g. MIGRATE,WEBSERVER")
  List<String> pauseBefore;

  @Option(
      names = "--config-file",
      paramLabel = "KIND=FILE",
      description = "the configuration file a kind's servers get on the target, e.g. worker=w.yml")
  Map<String, Path> configFiles;

  /** The request's JSON body. */
  public Map<String, Object> body() throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("cluster", cluster);
    body.put("targetVersion", target);
    putIf(body, "strategy", strategy);
    putIf(body, "backup", backup);
    putIf(body, "migration", migration);
    putIf(body, "gracePeriod", duration(gracePeriod));
    putIf(body, "killMargin", duration(killMargin));
    putIf(body, "stepTimeout", duration(stepTimeout));
    putIf(body, "progressDeadline", duration(progressDeadline));
    putIf(body, "onFailure", onFailure);
    putIf(body, "allowDowngrade", allowDowngrade);
    putIf(body, "acknowledgeBreakingChanges", acknowledgeBreakingChanges);
    putIf(body, "maintenanceMode", maintenanceMode);
    putIf(body, "maxUnavailable", maxUnavailable);
    putIf(body, "minHealthy", duration(minHealthy));
    putIf(body, "restart", restart);
    putIf(body, "pauseBefore", pauseBefore);
    if (configFiles != null) {
      Map<String, String> files = new LinkedHashMap<>();
      for (Map.Entry<String, Path> f : configFiles.entrySet()) {
        files.put(f.getKey(), Files.readString(f.getValue()));
      }
      body.put("configFiles", files);
    }
    return body;
  }

  /**
   * {@code 90s}, {@code 5m}, {@code 250ms}, {@code 1h} as ISO-8601; anything else as given, for the
   * coordinator to accept (ISO-8601) or refuse with the field's name.
   */
  static String duration(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = SHORT_DURATION.matcher(text.trim());
    if (!m.matches()) {
      return text;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> java.time.Duration.ofMillis(n).toString();
      case "s" -> "PT" + n + "S";
      case "m" -> "PT" + n + "M";
      default -> "PT" + n + "H";
    };
  }

  private static void putIf(Map<String, Object> body, String field, Object value) {
    if (value != null) {
      body.put(field, value);
    }
  }
}

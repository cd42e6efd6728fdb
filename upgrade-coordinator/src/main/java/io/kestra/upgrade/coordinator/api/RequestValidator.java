package io.kestra.upgrade.coordinator.api;

import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.coordinator.upgrade.UpgradeRequest;
import io.kestra.upgrade.coordinator.upgrade.plan.MigrationMode;
import io.kestra.upgrade.coordinator.upgrade.plan.OnFailure;
import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import io.kestra.upgrade.coordinator.upgrade.plan.UpgradeOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a request body field by field and applies the defaults. Every problem is reported, each
 * naming its field, in one 400 answer.
 */
@ApplicationScoped
public class RequestValidator {

  private static final Duration MAX_DURATION = Duration.ofDays(2);

  private final CoordinatorConfig.Defaults defaults;

  public RequestValidator(CoordinatorConfig config) {
    this.defaults = config.defaults();
  }

  /**
   * @throws ApiException 400 naming every wrong field
   */
  public UpgradeRequest validate(UpgradeRequestBody body) {
    if (body == null) {
      throw ApiException.badRequest(
          List.of("body: a JSON object with cluster and targetVersion is required"));
    }
    List<String> problems = new ArrayList<>();
    if (body.cluster() == null || body.cluster().isBlank()) {
      problems.add("cluster: required");
    } else if (!AgentId.isValidName(body.cluster())) {
      problems.add(
          "cluster: '"
              + body.cluster()
              + "' must be 1 to 63 lower-case letters, digits, '.', '_' or '-'");
    }
    KestraVersion target = null;
    if (body.targetVersion() == null || body.targetVersion().isBlank()) {
      problems.add("targetVersion: required");
    } else {
      try {
        target = KestraVersion.parse(body.targetVersion());
      } catch (IllegalArgumentException e) {
        problems.add("targetVersion: " + e.getMessage());
      }
    }
    Strategy strategy =
        enumOf(Strategy.class, "strategy", body.strategy(), Strategy.FULL_STOP, problems);
    MigrationMode migration =
        enumOf(MigrationMode.class, "migration", body.migration(), MigrationMode.MANUAL, problems);
    // a failed upgrade must not leave the cluster down: rolling back is the default
    OnFailure onFailure =
        enumOf(OnFailure.class, "onFailure", body.onFailure(), OnFailure.ROLLBACK, problems);
    // no default: each server drains for the grace period it is configured with
    Duration grace = duration("gracePeriod", body.gracePeriod(), null, problems);
    Duration margin = duration("killMargin", body.killMargin(), defaults.killMargin(), problems);
    Duration stepTimeout = duration("stepTimeout", body.stepTimeout(), null, problems);
    Duration progress =
        duration(
            "progressDeadline", body.progressDeadline(), defaults.progressDeadline(), problems);
    Duration minHealthy = duration("minHealthy", body.minHealthy(), null, problems);
    Map<ComponentKind, Integer> maxUnavailable = maxUnavailable(body.maxUnavailable(), problems);
    Set<Phase> pauseBefore = pauseBefore(body.pauseBefore(), problems);
    Map<ComponentKind, String> configFiles = configFiles(body.configFiles(), problems);
    if (!problems.isEmpty()) {
      throw ApiException.badRequest(problems);
    }
    UpgradeOptions options =
        new UpgradeOptions(
            body.backup() == null ? strategy == Strategy.FULL_STOP : body.backup(),
            migration,
            grace,
            margin,
            stepTimeout,
            progress,
            onFailure,
            Boolean.TRUE.equals(body.allowDowngrade()),
            Boolean.TRUE.equals(body.acknowledgeBreakingChanges()),
            Boolean.TRUE.equals(body.maintenanceMode()),
            maxUnavailable,
            minHealthy,
            Boolean.TRUE.equals(body.restart()),
            pauseBefore,
            configFiles);
    return new UpgradeRequest(body.cluster(), target, strategy, options);
  }

  private static <E extends Enum<E>> E enumOf(
      Class<E> type, String field, String value, E fallback, List<String> problems) {
    if (value == null) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(
          field + ": '" + value + "' is not one of " + Arrays.toString(type.getEnumConstants()));
      return fallback;
    }
  }

  private static Duration duration(
      String field, String value, Duration fallback, List<String> problems) {
    if (value == null) {
      return fallback;
    }
    try {
      Duration d = Duration.parse(value.trim());
      if (d.isNegative() || d.isZero() || d.compareTo(MAX_DURATION) > 0) {
        problems.add(field + ": '" + value + "' must be positive and at most " + MAX_DURATION);
        return fallback;
      }
      return d;
    } catch (DateTimeParseException e) {
      problems.add(field + ": '" + value + "' is not an ISO-8601 duration such as PT5M or PT30S");
      return fallback;
    }
  }

  /**
   * Per kind, a configuration file: not blank, at most {@link Command#MAX_CONFIG_FILE} characters.
   */
  private static Map<ComponentKind, String> configFiles(
      Map<String, String> raw, List<String> problems) {
    Map<ComponentKind, String> out = new EnumMap<>(ComponentKind.class);
    if (raw == null) {
      return out;
    }
    raw.forEach(
        (kind, content) -> {
          try {
            ComponentKind k = ComponentKind.fromWire(kind);
            if (content == null || content.isBlank()) {
              problems.add("configFiles." + kind + ": must be the file's content, not empty");
            } else if (content.length() > Command.MAX_CONFIG_FILE) {
              problems.add(
                  "configFiles."
                      + kind
                      + ": "
                      + content.length()
                      + " characters, more than "
                      + Command.MAX_CONFIG_FILE);
            } else {
              out.put(k, content);
            }
          } catch (IllegalArgumentException e) {
            problems.add("configFiles." + kind + ": " + e.getMessage());
          }
        });
    return out;
  }

  /** The phases named, each an upgrade phase (a rollback is never held). */
  private static Set<Phase> pauseBefore(List<String> raw, List<String> problems) {
    Set<Phase> out = EnumSet.noneOf(Phase.class);
    if (raw == null) {
      return out;
    }
    List<Phase> gates =
        Arrays.stream(Phase.values())
            .filter(p -> !p.isRollback() && p != Phase.PREFLIGHT && p != Phase.PREPARE)
            .toList();
    for (String name : raw) {
      Phase phase =
          name == null
              ? null
              : gates.stream()
                  .filter(p -> p.name().equals(name.trim().toUpperCase(Locale.ROOT)))
                  .findFirst()
                  .orElse(null);
      if (phase == null) {
        problems.add("pauseBefore: '" + name + "' is not one of " + gates);
      } else {
        out.add(phase);
      }
    }
    return out;
  }

  private static Map<ComponentKind, Integer> maxUnavailable(
      Map<String, Integer> raw, List<String> problems) {
    Map<ComponentKind, Integer> out = new EnumMap<>(ComponentKind.class);
    if (raw == null) {
      return out;
    }
    raw.forEach(
        (kind, n) -> {
          try {
            ComponentKind k = ComponentKind.fromWire(kind);
            if (n == null || n < 1) {
              problems.add("maxUnavailable." + kind + ": must be at least 1");
            } else {
              out.put(k, n);
            }
          } catch (IllegalArgumentException e) {
            problems.add("maxUnavailable." + kind + ": " + e.getMessage());
          }
        });
    return out;
  }
}

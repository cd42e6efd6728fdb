package io.kestra.upgrade.coordinator.api;

import java.util.List;
import java.util.Map;

/**
 * The JSON body of {@code POST /api/v1/upgrades} and {@code /plan}, as received: values stay text
 * until {@link RequestValidator} checks them, so that every error names its field. Unknown fields
 * are refused ({@code quarkus.jackson.fail-on-unknown-properties}): a mistyped option must not be
 * silently ignored.
 *
 * @param cluster the cluster to upgrade (required)
 * @param targetVersion the Kestra version to upgrade to (required), e.g. {@code 1.0.0}
 * @param strategy FULL_STOP (default) or ROLLING
 * @param backup dump the database before migrating (default true for FULL_STOP)
 * @param migration MANUAL (default) or AUTO
 * @param gracePeriod ISO-8601: every server's grace period; by default each server's own (as its
 *     agent reports it)
 * @param killMargin ISO-8601, default PT60S: after grace period, before SIGKILL
 * @param stepTimeout ISO-8601: overrides the deadline of every non-STOP step
 * @param progressDeadline ISO-8601, default PT30S: longest silence of a working agent
 * @param onFailure ROLLBACK (default), PAUSE or FAIL
 * @param allowDowngrade default false
 * @param acknowledgeBreakingChanges default false: an upgrade crossing releases whose notes list
 *     breaking changes (the release catalog's) is refused, listing them, until this is true
 * @param maintenanceMode default false; true switches Kestra Enterprise into maintenance mode
 *     before anything stops, and out of it after VERIFY and on every way out (FULL_STOP only)
 * @param maxUnavailable ROLLING: instances down at once, per kind, e.g. {@code {"worker": 2}}
 *     (default 1 for every kind)
 * @param minHealthy ROLLING: ISO-8601, how long each restarted server must stay ready before the
 *     next batch (default: none, the next batch goes as soon as it is ready)
 * @param restart ROLLING: true restarts every server on the version it runs (a configuration
 *     change); {@code targetVersion} must then be that version
 * @param pauseBefore phases before which the upgrade pauses until resumed, e.g. {@code ["MIGRATE",
 *     "WEBSERVER"]}
 * @param configFiles per kind, the configuration file its servers get at their start on the target,
 *     e.g. {@code {"worker": "kestra:\n server: ..."}}; a rollback puts back the one replaced
 */
public record UpgradeRequestBody(
    String cluster,
    String targetVersion,
    String strategy,
    Boolean backup,
    String migration,
    String gracePeriod,
    String killMargin,
    String stepTimeout,
    String progressDeadline,
    String onFailure,
    Boolean allowDowngrade,
    Boolean acknowledgeBreakingChanges,
    Boolean maintenanceMode,
    Map<String, Integer> maxUnavailable,
    String minHealthy,
    Boolean restart,
    List<String> pauseBefore,
    Map<String, String> configFiles) {}

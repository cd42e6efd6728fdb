package io.kestra.upgrade.coordinator.api;

import java.util.List;

/**
 * The body of every error answer.
 *
 * @param error a stable code: INVALID_REQUEST, NOT_FOUND, UPGRADE_ACTIVE, PREFLIGHT_REFUSED,
 *     AGENT_BUSY, DATABASE_UNAVAILABLE
 * @param message a sentence for a human
 * @param details the individual problems (field errors, preflight findings)
 */
public record ApiError(String error, String message, List<?> details) {}

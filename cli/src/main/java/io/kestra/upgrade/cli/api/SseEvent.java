package io.kestra.upgrade.cli.api;

/**
 * One Server-Sent Event as read off the wire.
 *
 * @param id its {@code id:} field ({@code null} when it has none, as the snapshots)
 * @param data its {@code data:} lines joined by new lines
 */
public record SseEvent(String id, String data) {}

package io.kestra.sim.cli;

import io.kestra.upgrade.common.ComponentKind;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * A parsed command line.
 *
 * @param action what to do
 * @param kind the server kind ({@link Action#SERVER} only, else null)
 * @param config the {@code -c} file, or null
 * @param workerThreads worker threads ({@code -t} of a worker, {@code --worker-thread} of a
 *     standalone, where 0 means no worker; 0 for other kinds)
 * @param port the {@code --port} override of the API port, if given
 * @param logLevel Kestra's level name from {@code -l} or {@code -v}
 */
public record Invocation(
    Action action,
    ComponentKind kind,
    Path config,
    int workerThreads,
    OptionalInt port,
    String logLevel) {}

package io.kestra.upgrade.agent.driver.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** A container's output, through the engine (the json-file or journald log of the container). */
final class ContainerLogs {

  private static final long WAIT_SECONDS = 10;

  private ContainerLogs() {}

  /**
   * The last {@code lines} lines the container wrote since {@code since} (whole seconds, as the
   * engine counts), stdout and stderr interleaved.
   */
  static String tail(DockerClient docker, String containerId, Instant since, int lines)
      throws InterruptedException {
    StringBuilder text = new StringBuilder();
    ResultCallback.Adapter<Frame> collect =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            synchronized (text) {
              text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
          }
        };
    docker
        .logContainerCmd(containerId)
        .withStdOut(true)
        .withStdErr(true)
        .withSince((int) since.getEpochSecond())
        .withTail(lines)
        .exec(collect)
        .awaitCompletion(WAIT_SECONDS, TimeUnit.SECONDS);
    synchronized (text) {
      return text.toString();
    }
  }
}

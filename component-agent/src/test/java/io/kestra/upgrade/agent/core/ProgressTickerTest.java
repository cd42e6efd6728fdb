package io.kestra.upgrade.agent.core;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProgressTickerTest {

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void repeatsTheLatestReportUntilClosedAndNeverAfter() throws Exception {
    List<String> published = new CopyOnWriteArrayList<>();
    ProgressTicker ticker =
        ProgressTicker.start(scheduler, Duration.ofMillis(20), published::add, "starting");
    await().atMost(Duration.ofSeconds(5)).until(() -> published.contains("starting"));
    ticker.report("3 task run(s) still running");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> published.contains("3 task run(s) still running"));
    ticker.close();
    int count = published.size();
    // ten periods pass without a tick once closed
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(1))
        .until(() -> published.size() == count);
  }
}

package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void sumsEverySeriesOfTheMetricAndIgnoresLookAlikes() {
    String text =
        """
        # HELP kestra_worker_running_count running task runs
        # TYPE kestra_worker_running_count gauge
        kestra_worker_running_count{worker_group="default"} 2.0
        kestra_worker_running_count{worker_group="gpu",le="x}"} 1
        kestra_worker_running_count_total 40
        kestra_sim_info{version="0.21.4"} 1
        """;
    assertThat(PrometheusText.sum(text, "kestra_worker_running_count")).hasValue(3.0);
  }

  @Test
  void aMetricWithoutLabelsIsRead() {
    assertThat(PrometheusText.sum("kestra_worker_running_count 4\n", "kestra_worker_running_count"))
        .hasValue(4.0);
  }

  @Test
  void anAbsentOrUnreadableMetricIsEmpty() {
    assertThat(PrometheusText.sum("jvm_threads 12\n", "kestra_worker_running_count")).isEmpty();
    assertThat(
            PrometheusText.sum("kestra_worker_running_count NaN\n", "kestra_worker_running_count"))
        .isEmpty();
  }
}

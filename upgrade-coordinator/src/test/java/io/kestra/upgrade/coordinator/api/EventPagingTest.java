package io.kestra.upgrade.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventPagingTest {

  @Test
  void withoutParametersThePageIsTheFirst200() {
    assertThat(EventPaging.of(null, null)).isEqualTo(new EventPaging(0, 200));
  }

  @Test
  void theCursorAndLimitAreReadWithinTheirBounds() {
    assertThat(EventPaging.of("42", "1")).isEqualTo(new EventPaging(42, 1));
    assertThat(EventPaging.of("0", "1000")).isEqualTo(new EventPaging(0, 1000));
  }

  @Test
  void valuesOutsideTheBoundsAreRefusedNamingTheParameter() {
    assertThat(refused(null, "0"))
        .containsExactly("eventsLimit: '0' must be a whole number from 1 to 1000");
    assertThat(refused(null, "1001"))
        .containsExactly("eventsLimit: '1001' must be a whole number from 1 to 1000");
    assertThat(refused(null, "ten"))
        .containsExactly("eventsLimit: 'ten' must be a whole number from 1 to 1000");
    assertThat(refused("-1", null))
        .containsExactly(
            "eventsAfter: '-1' is not the seq of an event (a whole number, 0 or more)");
    assertThat(refused("1e3", "5000")).hasSize(2);
  }

  private static List<Object> refused(String after, String limit) {
    ApiException e = catchThrowableOfType(ApiException.class, () -> EventPaging.of(after, limit));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("INVALID_REQUEST");
    return List.copyOf(e.details());
  }
}

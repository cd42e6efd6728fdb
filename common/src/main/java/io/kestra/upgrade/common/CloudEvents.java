package io.kestra.upgrade.common;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka protocol binding of CloudEvents 1.0 in binary mode: the attributes travel as {@code
 * ce_*} headers, the value is the JSON data.
 */
public final class CloudEvents {

  public static final String SPEC_VERSION = "1.0";
  public static final String HEADER_SPECVERSION = "ce_specversion";
  public static final String HEADER_ID = "ce_id";
  public static final String HEADER_SOURCE = "ce_source";
  public static final String HEADER_TYPE = "ce_type";
  public static final String HEADER_TIME = "ce_time";
  public static final String HEADER_SUBJECT = "ce_subject";
  public static final String HEADER_CONTENT_TYPE = "content-type";
  public static final String JSON = "application/json";

  private CloudEvents() {}

  /**
   * The headers of an event.
   *
   * @param event the event
   * @param source the CloudEvent source, a URI reference naming the producer, e.g. {@code
   *     /kestra-upgrade-coordinator}
   */
  public static Map<String, String> headers(UpgradeEvent event, String source) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(HEADER_SPECVERSION, SPEC_VERSION);
    headers.put(HEADER_ID, event.messageId());
    headers.put(HEADER_SOURCE, source);
    headers.put(HEADER_TYPE, event.type());
    headers.put(HEADER_TIME, DateTimeFormatter.ISO_INSTANT.format(event.at()));
    if (event.subject() != null) {
      headers.put(HEADER_SUBJECT, event.subject());
    }
    headers.put(HEADER_CONTENT_TYPE, JSON);
    return headers;
  }
}

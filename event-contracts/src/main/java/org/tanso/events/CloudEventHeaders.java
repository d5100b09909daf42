package org.tanso.events;

/**
 * Kafka record headers of the CloudEvents 1.0 Kafka protocol binding, binary mode: the event's
 * attributes travel as headers, the record value is the JSON payload, the record key is the
 * aggregate that orders the event (an account number, a request id).
 */
public final class CloudEventHeaders {

  public static final String SPEC_VERSION = "ce_specversion";
  public static final String ID = "ce_id";
  public static final String TYPE = "ce_type";
  public static final String SOURCE = "ce_source";
  public static final String TIME = "ce_time";
  public static final String SUBJECT = "ce_subject";
  public static final String CONTENT_TYPE = "content-type";

  /**
   * W3C Trace Context of the change that produced the event (optional): consumers continue that
   * trace, so one trace shows a request reaching every service the event touches.
   */
  public static final String TRACEPARENT = "traceparent";

  public static final String SPEC_VERSION_VALUE = "1.0";
  public static final String JSON = "application/json";

  private CloudEventHeaders() {}
}

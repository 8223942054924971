package io.thingstorm.testbed.http;

import io.thingstorm.client.senml.SenmlCbor;
import io.thingstorm.client.senml.SenmlException;
import io.thingstorm.client.senml.SenmlJson;
import io.thingstorm.testbed.counters.Protocol;
import io.thingstorm.testbed.counters.Refusal;
import io.thingstorm.testbed.counters.TestbedCounters;
import io.thingstorm.testbed.mqtt.BrokerPublisher;
import io.thingstorm.testbed.registry.RegisteredThing;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Mainflux's HTTP adapter: {@code POST /http/channels/<id>/messages[/<subtopic>]} with a SenML pack
 * (JSON or CBOR), answered 202 once the broker has taken it; 415 for another content type, 403 when the
 * Authorization or the channel does not fit the certificate's thing, 400 for an invalid pack.
 */
final class MessageHandler extends Handler.Abstract {
  static final String PREFIX = "/http";

  private final ThingAccess access;
  private final BrokerPublisher broker;
  private final TestbedCounters counters;
  private final int maxBody;

  MessageHandler(ThingAccess access, BrokerPublisher broker, TestbedCounters counters, long maxBody) {
    this.access = access;
    this.broker = broker;
    this.counters = counters;
    // Read into one array: at most what an array holds.
    this.maxBody = (int) Math.min(maxBody, Integer.MAX_VALUE - 16);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Optional<ChannelPath> path = ChannelPath.parse(Request.getPathInContext(request), PREFIX);
    if (path.isEmpty()) {
      answer(response, callback, HttpStatus.NOT_FOUND_404, "no such channel path: POST " + PREFIX + "/channels/<id>/messages[/<subtopic>]");
      return true;
    }
    if (!HttpMethod.POST.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      answer(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "only POST");
      return true;
    }
    Optional<String> key = ThingAccess.certificateKey(request);
    String contentType = mediaType(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
    boolean cbor = SenmlCbor.MEDIA_TYPE.equals(contentType);
    if (!cbor && !SenmlJson.MEDIA_TYPE.equals(contentType)) {
      counters.refused(Protocol.HTTPS, access.thingIdOf(key), Refusal.UNSUPPORTED_MEDIA_TYPE);
      answer(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, "content type must be " + SenmlJson.MEDIA_TYPE + " or " + SenmlCbor.MEDIA_TYPE);
      return true;
    }
    Optional<RegisteredThing> thing = access.authorise(key, request.getHeaders().get(HttpHeader.AUTHORIZATION), path.get().channelId());
    if (thing.isEmpty()) {
      counters.refused(Protocol.HTTPS, access.thingIdOf(key), Refusal.FORBIDDEN);
      answer(response, callback, HttpStatus.FORBIDDEN_403, "forbidden");
      return true;
    }
    // A declared length over the limit is refused before a byte of the body is read; Jetty then
    // closes the connection instead of draining the rest.
    if (request.getLength() > maxBody) {
      tooLarge(response, callback, thing.get().thingId());
      return true;
    }
    byte[] body;
    try {
      body = Content.Source.asByteArrayAsync(new BoundedBody(request, maxBody), maxBody + 1).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BoundedBody.TooLarge) {
        tooLarge(response, callback, thing.get().thingId()); // a chunked body that outgrew the limit
        return true;
      }
      counters.refused(Protocol.HTTPS, thing.get().thingId(), Refusal.BAD_REQUEST);
      answer(response, callback, HttpStatus.BAD_REQUEST_400, "cannot read the body: " + e.getCause().getMessage());
      return true;
    } catch (TimeoutException e) {
      counters.refused(Protocol.HTTPS, thing.get().thingId(), Refusal.BAD_REQUEST);
      answer(response, callback, HttpStatus.BAD_REQUEST_400, "the body did not arrive within 30 s");
      return true;
    }
    try {
      if (cbor) SenmlCbor.decode(body);
      else SenmlJson.decode(body);
    } catch (SenmlException e) {
      counters.refused(Protocol.HTTPS, thing.get().thingId(), Refusal.BAD_REQUEST);
      answer(response, callback, HttpStatus.BAD_REQUEST_400, "invalid SenML: " + e.getMessage());
      return true;
    }
    try {
      broker.publish(path.get().topic(), body).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      answer(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "the broker did not take the message");
      return true;
    }
    counters.received(Protocol.HTTPS, thing.get().thingId(), body.length);
    response.setStatus(HttpStatus.ACCEPTED_202);
    callback.succeeded();
    return true;
  }

  private void tooLarge(Response response, Callback callback, String thingId) {
    counters.refused(Protocol.HTTPS, thingId, Refusal.TOO_LARGE);
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    answer(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "the body is larger than " + maxBody + " bytes");
  }

  /** The media type without parameters, lower case; null when absent. */
  static String mediaType(String contentType) {
    if (contentType == null) return null;
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  private static void answer(Response response, Callback callback, int status, String message) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    Content.Sink.write(response, true, message + "\n", callback);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

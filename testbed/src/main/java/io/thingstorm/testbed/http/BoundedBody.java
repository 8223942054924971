package io.thingstorm.testbed.http;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A request whose body fails with {@link TooLarge} once more than {@code max} bytes were read: a
 * chunked body declares no length to refuse up front, so it is cut off as it passes the limit.
 */
final class BoundedBody extends Request.Wrapper {
  private final long max;
  private long read;

  BoundedBody(Request request, long max) {
    super(request);
    this.max = max;
  }

  @Override
  public Content.Chunk read() {
    Content.Chunk chunk = super.read();
    if (chunk == null || Content.Chunk.isFailure(chunk)) return chunk;
    read += chunk.remaining();
    if (read <= max) return chunk;
    chunk.release();
    return Content.Chunk.from(new TooLarge());
  }

  /** The body passed the limit. */
  static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("the body passed the size limit", null, false, false);
    }
  }
}

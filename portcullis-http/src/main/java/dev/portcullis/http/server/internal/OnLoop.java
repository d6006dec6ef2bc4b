package dev.portcullis.http.server.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Runs asynchronous gate or handler code and brings its outcome back to the channel's event loop, without a
 * thread hop when it completed synchronously. A throw or a {@code null} stage become a failed outcome.
 */
final class OnLoop {

  private OnLoop() {}

  static <T> void await(EventExecutor loop, Supplier<? extends CompletionStage<T>> call, BiConsumer<T, Throwable> then) {
    CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (RuntimeException e) {
      then.accept(null, e);
      return;
    }
    if (stage == null) {
      then.accept(null, null);
      return;
    }
    stage.whenComplete((result, error) -> {
      if (loop.inEventLoop()) {
        then.accept(result, error);
      } else {
        loop.execute(() -> then.accept(result, error));
      }
    });
  }
}

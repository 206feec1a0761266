package dev.engines.storage.gcs;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wraps a {@link Storage} and records which resumable uploads were finalised (their {@link
 * WriteChannel} closed). On GCS an object comes into being only when its upload is finalised;
 * LocalStorageHelper's fake, unlike GCS, already registers the object's metadata when an upload
 * session opens, so "nothing visible after a failed resumable upload" is checked here as "the
 * upload was never finalised".
 */
final class FinalisationRecorder {

  private final Set<String> opened = ConcurrentHashMap.newKeySet();
  private final Set<String> finalised = ConcurrentHashMap.newKeySet();

  Storage wrap(Storage storage) {
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            (proxy, method, args) -> {
              Object result = invoke(storage, method, args);
              if (method.getName().equals("writer")
                  && args.length > 0
                  && args[0] instanceof BlobInfo info) {
                opened.add(info.getName());
                return recording((WriteChannel) result, info.getName());
              }
              return result;
            });
  }

  /** Whether a resumable upload to {@code name} was opened. */
  boolean opened(String name) {
    return opened.contains(name);
  }

  /** Whether a resumable upload to {@code name} was finalised. */
  boolean finalised(String name) {
    return finalised.contains(name);
  }

  private WriteChannel recording(WriteChannel channel, String name) {
    return (WriteChannel)
        Proxy.newProxyInstance(
            WriteChannel.class.getClassLoader(),
            new Class<?>[] {WriteChannel.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                finalised.add(name);
              }
              return invoke(channel, method, args);
            });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}

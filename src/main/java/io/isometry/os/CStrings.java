package io.isometry.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** NUL-terminated UTF-8 strings and NULL-terminated string arrays in native memory. */
final class CStrings {

  private CStrings() {
  }

  static Memory of(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    Memory memory = new Memory(bytes.length + 1L);
    memory.write(0, bytes, 0, bytes.length);
    memory.setByte(bytes.length, (byte) 0);
    return memory;
  }

  /**
   * A {@code char *[]} ending in NULL. The strings are kept in {@code keep}, which must stay
   * reachable as long as the array is used.
   */
  static Memory array(List<String> items, List<Memory> keep) {
    Memory array = new Memory((long) Native.POINTER_SIZE * (items.size() + 1));
    for (int i = 0; i < items.size(); i++) {
      Memory item = of(items.get(i));
      keep.add(item);
      array.setPointer((long) i * Native.POINTER_SIZE, item);
    }
    array.setPointer((long) items.size() * Native.POINTER_SIZE, Pointer.NULL);
    return array;
  }
}

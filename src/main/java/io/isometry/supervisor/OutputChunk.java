package io.isometry.supervisor;

/** Bytes a stream wrote, cut at a character boundary, with their text (invalid UTF-8 replaced). */
record OutputChunk(byte[] bytes, String text) {
}

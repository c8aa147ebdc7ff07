package io.isometry.client;

import io.isometry.contract.Fields;
import io.vertx.core.json.JsonObject;

/** A chunk of a process's output: {@code bytes} bytes of {@code stream} starting at byte {@code offset}. */
public record OutputEvent(String id, String stream, long offset, int bytes, String data) {

  static OutputEvent fromJson(JsonObject json) {
    return new OutputEvent(json.getString(Fields.ID), json.getString(Fields.STREAM), json.getLong(Fields.OFFSET),
        json.getInteger(Fields.BYTES), json.getString(Fields.DATA));
  }
}

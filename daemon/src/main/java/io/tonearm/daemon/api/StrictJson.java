package io.tonearm.daemon.api;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.IOException;
import java.io.StringReader;
import java.util.Map;

/**
 * Checks a JSON body before protobuf's JSON mapping reads it, for what that mapping lets through:
 * text after the object ({@code {"volume":30}xyz}), non-standard JSON (comments, single quotes,
 * unquoted names) and an array or object where the message has a single scalar ({@code
 * {"volume":[77]}}). Each is an {@link ApiException} 400 naming the field; the rest (unknown
 * fields, types of values) is left to the mapping.
 */
final class StrictJson {

  private static final TypeAdapter<JsonElement> ELEMENT = new Gson().getAdapter(JsonElement.class);

  private StrictJson() {}

  static void check(String text, Descriptor type) {
    JsonElement root;
    try (JsonReader reader = new JsonReader(new StringReader(text))) {
      reader.setLenient(false);
      root = ELEMENT.read(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw bad("text after the JSON value", "");
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ApiException a) {
        throw a;
      }
      throw bad("not strict JSON: " + e.getMessage(), "");
    }
    if (!root.isJsonObject()) {
      throw bad("the body must be a JSON object", "");
    }
    object(root.getAsJsonObject(), type, "");
  }

  private static void object(JsonObject o, Descriptor type, String path) {
    for (Map.Entry<String, JsonElement> e : o.entrySet()) {
      FieldDescriptor f = field(type, e.getKey());
      if (f == null || f.isMapField() || e.getValue().isJsonNull()) {
        continue; // unknown fields are the mapping's to refuse; maps keep their own form
      }
      String name = path + f.getName();
      if (f.isRepeated()) {
        if (!e.getValue().isJsonArray()) {
          throw bad(name + " must be a JSON array", name);
        }
        JsonArray a = e.getValue().getAsJsonArray();
        for (int i = 0; i < a.size(); i++) {
          value(a.get(i), f, name + "[" + i + "]");
        }
      } else {
        value(e.getValue(), f, name);
      }
    }
  }

  private static void value(JsonElement v, FieldDescriptor f, String name) {
    if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      if (!v.isJsonPrimitive() && !v.isJsonNull()) {
        throw bad(name + " must be a single value, not an array or object", name);
      }
      return;
    }
    Descriptor m = f.getMessageType();
    if (m.getFile().getPackage().equals("google.protobuf")) {
      return; // well-known types have JSON forms of their own (Any, Timestamp, Struct...)
    }
    if (!v.isJsonObject()) {
      throw bad(name + " must be a JSON object", name);
    }
    object(v.getAsJsonObject(), m, name + ".");
  }

  private static FieldDescriptor field(Descriptor type, String key) {
    FieldDescriptor f = type.findFieldByName(key);
    if (f != null) {
      return f;
    }
    for (FieldDescriptor g : type.getFields()) {
      if (g.getJsonName().equals(key)) {
        return g;
      }
    }
    return null;
  }

  private static ApiException bad(String message, String field) {
    return new ApiException(
        400,
        "bad_request",
        "malformed JSON body: " + message,
        field.isEmpty() ? Map.of() : Map.of("field", field));
  }
}

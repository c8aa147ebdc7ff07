package io.isometry.validation;

import io.isometry.contract.Severity;
import io.isometry.contract.ViolationType;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the member names of a tar archive about to be extracted and hands each to the sink as a
 * file written (and a link's target as one too), so that an archive cannot put files under
 * {@code .git}, name them like options, or reach out through its own links. Plain and gzip
 * archives are read (ustar, GNU long names, pax {@code path}/{@code linkpath}); other compressions
 * (which GNU tar detects by itself) and archives beyond the bounds are refused: what the policy
 * cannot list, it does not vouch for.
 */
final class TarMembers {

  static final int MAX_MEMBERS = 10_000;
  static final long MAX_BYTES = 512L * 1024 * 1024;
  private static final int BLOCK = 512;
  private static final Refusal UNREADABLE = new Refusal(ViolationType.ARGUMENT_INJECTION, Severity.HIGH,
      "the policy reads the member names of an archive before it is extracted, and cannot read this one "
          + "(not a plain or gzip tar archive, or more than " + MAX_MEMBERS + " members or " + MAX_BYTES / (1024 * 1024)
          + " MiB)");

  private final InputStream in;
  private final ScriptSink sink;
  private long read;

  private TarMembers(InputStream in, ScriptSink sink) {
    this.in = in;
    this.sink = sink;
  }

  static void check(Path archive, ScriptSink sink) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive))) {
      raw.mark(2);
      int first = raw.read();
      int second = raw.read();
      raw.reset();
      InputStream in = first == 0x1f && second == 0x8b ? new GZIPInputStream(raw, 64 * 1024) : raw;
      new TarMembers(in, sink).members();
    } catch (IOException | RuntimeException e) {
      sink.refuse(UNREADABLE, archive.getFileName() == null ? "" : archive.getFileName().toString());
    }
  }

  private void members() throws IOException {
    byte[] header = new byte[BLOCK];
    String longName = null;
    String longLink = null;
    for (int count = 0; ; count++) {
      if (count > MAX_MEMBERS * 2) {
        throw new IOException("too many members");
      }
      fill(header);
      if (isZero(header)) {
        return;
      }
      if (!checksumMatches(header)) {
        throw new IOException("not a tar header");
      }
      char type = (char) header[156];
      long size = size(header);
      switch (type) {
        case 'L' -> longName = text(data(size));
        case 'K' -> longLink = text(data(size));
        case 'x', 'g' -> {
          String records = new String(data(size), StandardCharsets.UTF_8);
          String path = pax(records, "path");
          String link = pax(records, "linkpath");
          if (type == 'g' && (path != null || link != null)) {
            throw new IOException("a global path");
          }
          longName = path != null ? path : longName;
          longLink = link != null ? link : longLink;
        }
        case '0', '\0', '7', '3', '4', '6' -> {
          member(longName != null ? longName : name(header), type, "");
          longName = null;
          longLink = null;
          skip(size + padding(size));
        }
        case '1', '2', '5' -> {
          if (size != 0) {
            throw new IOException("a link or directory with data"); // tars differ on skipping it
          }
          member(longName != null ? longName : name(header), type, longLink != null ? longLink : field(header, 157, 100));
          longName = null;
          longLink = null;
        }
        default -> throw new IOException("member type " + type); // sparse, multi-volume, dumpdir: not listed here
      }
    }
  }

  private void member(String name, char type, String link) {
    String relative = stripLeadingSlashes(name);
    sink.written(relative);
    if (type == '2') {
      int slash = relative.lastIndexOf('/');
      String target = link.startsWith("/") ? link : (slash < 0 ? "" : relative.substring(0, slash + 1)) + link;
      sink.written(target);
    } else if (type == '1') {
      sink.written(stripLeadingSlashes(link));
    }
  }

  private static String stripLeadingSlashes(String name) {
    int i = 0;
    while (i < name.length() - 1 && name.charAt(i) == '/') {
      i++;
    }
    return name.substring(i);
  }

  private static String name(byte[] header) {
    String name = field(header, 0, 100);
    String magic = field(header, 257, 6);
    String prefix = magic.startsWith("ustar") ? field(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String pax(String records, String key) {
    String found = null;
    for (String record : records.split("\n")) {
      int space = record.indexOf(' ');
      int equals = record.indexOf('=');
      if (space > 0 && equals > space && record.substring(space + 1, equals).equals(key)) {
        found = record.substring(equals + 1);
      }
    }
    return found;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static String text(byte[] data) {
    int end = 0;
    while (end < data.length && data[end] != 0) {
      end++;
    }
    return new String(data, 0, end, StandardCharsets.UTF_8);
  }

  private static long size(byte[] header) throws IOException {
    if ((header[124] & 0x80) != 0) {
      throw new IOException("a base-256 size"); // members over 8 GiB: beyond the bound anyway
    }
    String octal = field(header, 124, 12).trim();
    try {
      return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
    } catch (NumberFormatException e) {
      throw new IOException("a malformed size");
    }
  }

  private static boolean checksumMatches(byte[] header) {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
    }
    String stored = field(header, 148, 8).trim();
    try {
      return !stored.isEmpty() && Long.parseLong(stored, 8) == sum;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private byte[] data(long size) throws IOException {
    if (size > FileContents.MAX_BYTES) {
      throw new IOException("an oversized header");
    }
    byte[] data = new byte[(int) size];
    fill(data);
    skip(padding(size));
    return data;
  }

  private void skip(long bytes) throws IOException {
    long remaining = bytes;
    charge(remaining);
    while (remaining > 0) {
      long skipped = in.skip(remaining);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException();
        }
        skipped = 1;
      }
      remaining -= skipped;
    }
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private void fill(byte[] buffer) throws IOException {
    charge(buffer.length);
    int at = 0;
    while (at < buffer.length) {
      int n = in.read(buffer, at, buffer.length - at);
      if (n < 0) {
        throw new EOFException();
      }
      at += n;
    }
  }

  private void charge(long bytes) throws IOException {
    read += bytes;
    if (read > MAX_BYTES) {
      throw new IOException("too large");
    }
  }
}

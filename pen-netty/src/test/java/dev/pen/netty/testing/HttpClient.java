package dev.pen.netty.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads HTTP/1.1 responses with a Content-Length body off a plain socket's stream, one at a time. */
public final class HttpClient {
    private HttpClient() {
    }

    /** The body of the next response on {@code in}, or null at end of stream. */
    public static String readBody(InputStream in) {
        try {
            String status = readLine(in);
            if (status == null) {
                return null;
            }
            int length = -1;
            for (String line; (line = readLine(in)) != null && !line.isEmpty(); ) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            if (length < 0) {
                throw new IllegalStateException("response without Content-Length: " + status);
            }
            return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}

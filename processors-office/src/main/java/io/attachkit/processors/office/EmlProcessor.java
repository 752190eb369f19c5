package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.internal.Texts;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.io.input.BoundedInputStream;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.dom.field.AddressListField;
import org.apache.james.mime4j.dom.field.DateTimeField;
import org.apache.james.mime4j.dom.field.MailboxListField;
import org.apache.james.mime4j.dom.field.ParsedField;
import org.apache.james.mime4j.field.DefaultFieldParser;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * Reads emails (RFC 5322 {@code .eml}) with Apache James mime4j's streaming token parser.
 *
 * <p>Result keys: {@code type} = {@code email}; {@code from}, {@code to}, {@code cc} (lists of
 * {@code Name <address>}), {@code date} (ISO instant), {@code subject}, {@code message_id}, all RFC 2047
 * decoded; {@code text}: the header lines, a blank line, then the body (the first {@code text/plain} part
 * that is not an attachment, else the first {@code text/html} part as text, through the HTML processor's
 * extraction); {@code body_span} ({@code {start, end}} of the body in the text), {@code body_type};
 * {@code attachments}: every attached file, {@code {name, type, size}} (decoded bytes) and, when the processor runs
 * inside {@link io.attachkit.Attachments}, {@code processed_content}: that file run through the pipeline (its text
 * also follows its {@code [Attachment]} line in {@code text}; see {@link NestedAttachments} for the bounds), with
 * {@code attachment_count}; {@code parts}; {@code words}; {@code truncated}; {@code warnings}; {@code overview}.
 *
 * <p>Bounded: the message streams part by part; at most {@value #MAX_PARTS} parts and multipart nesting of
 * {@value #MAX_DEPTH} are read (then reading stops with a warning), at most {@value #MAX_HEADERS} header
 * fields per part; an attached email ({@code message/rfc822}) is itself processed as a nested file, and the
 * pipeline stops at {@code Attachments.MAX_NESTING_DEPTH} levels, so an email that attaches itself ends bounded.
 * Thread-safe.
 */
public final class EmlProcessor extends OfficeProcessor {
    static final int MAX_PARTS = 1_000;
    static final int MAX_DEPTH = 20;
    static final int MAX_HEADERS = 1_000;
    static final int MAX_ATTACHMENTS_LISTED = 500;

    /** Creates the processor. */
    public EmlProcessor() {
        super("eml", "message/rfc822");
    }

    @Override
    public String version() {
        return "2"; // attachments carry their processed content
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        MimeConfig config = MimeConfig.custom().setStrictParsing(false).setMaxHeaderCount(MAX_HEADERS)
                .setMaxHeaderLen(100_000).setMaxLineLen(-1).build();
        MimeTokenStream stream = new MimeTokenStream(config, DecodeMonitor.SILENT, new DefaultBodyDescriptorBuilder());
        stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
        Message m = new Message(limits.maxOutputChars(), new NestedAttachments(input.nested(), limits));
        try (InputStream in = input.open()) {
            stream.parse(in);
            int depth = 0;
            int entityDepth = 0; // 0 while reading the top-level headers
            boolean stopped = false;
            for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
                switch (state) {
                    case T_START_MULTIPART -> {
                        if (++depth > MAX_DEPTH) {
                            m.warnings.add("multiparts nested deeper than " + MAX_DEPTH + " were not read");
                            m.truncated = true;
                            stopped = true;
                        }
                    }
                    case T_END_MULTIPART -> depth--;
                    case T_START_BODYPART -> {
                        entityDepth++;
                        if (++m.parts > MAX_PARTS) {
                            m.warnings.add("only the first " + MAX_PARTS + " parts were read");
                            m.truncated = true;
                            stopped = true;
                        }
                    }
                    case T_FIELD -> {
                        if (entityDepth == 0) {
                            m.header(stream.getField());
                        }
                    }
                    case T_BODY -> m.body((MaximalBodyDescriptor) stream.getBodyDescriptor(), stream);
                    default -> {
                    }
                }
                Texts.checkInterrupted(name);
                if (stopped) {
                    break;
                }
            }
        } catch (InterruptedIOException e) {
            throw new ProcessingException("Processing '" + name + "' was interrupted (timeout or shutdown)", e);
        } catch (IOException e) {
            throw new ProcessingException("Reading the email '" + name + "' failed: " + e.getMessage(), e);
        } catch (MimeException e) {
            throw new ProcessingException("'" + name + "' is not a readable email: " + e.getMessage(), e);
        } catch (ProcessingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ProcessingException("'" + name + "' is not a readable email: " + e, e);
        }
        if (m.parts == 0 && m.headers == 0) {
            throw new ProcessingException("'" + name + "' is not an email: it has no header fields");
        }
        return ProcessedContent.of(m.result());
    }

    /** What has been read of one message (also filled by {@link MsgProcessor}, for the same result shape). */
    static final class Message {
        final int maxChars;
        final NestedAttachments nested;
        final Map<String, Object> fields = new LinkedHashMap<>();
        final List<Map<String, Object>> attachments = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        int attachmentCount;
        int parts;
        int headers;
        boolean truncated;
        String body;
        String bodyType;
        boolean bodyTruncated;

        Message(int maxChars, NestedAttachments nested) {
            this.maxChars = maxChars;
            this.nested = nested;
        }

        void header(Field field) {
            headers++;
            String key = field.getName().toLowerCase(Locale.ROOT);
            switch (key) {
                case "from", "to", "cc", "reply-to" -> fields.putIfAbsent(key.replace('-', '_'), addresses(field));
                case "subject" -> fields.putIfAbsent("subject", decode(field.getBody()));
                case "message-id" -> fields.putIfAbsent("message_id", field.getBody().strip());
                case "date" -> {
                    ParsedField parsed = parse(field);
                    if (parsed instanceof DateTimeField d && d.getDate() != null) {
                        fields.putIfAbsent("date", DateTimeFormatter.ISO_INSTANT.format(d.getDate().toInstant()));
                    } else {
                        fields.putIfAbsent("date", field.getBody().strip());
                    }
                }
                default -> {
                }
            }
        }

        void body(MaximalBodyDescriptor d, MimeTokenStream stream) throws IOException {
            String type = d.getMimeType() == null ? "text/plain" : d.getMimeType().toLowerCase(Locale.ROOT);
            String filename = d.getContentDispositionFilename();
            if (filename == null && d.getContentTypeParameters() != null) {
                filename = d.getContentTypeParameters().get("name");
            }
            boolean attachment = "attachment".equalsIgnoreCase(d.getContentDispositionType()) || filename != null
                    || !(type.startsWith("text/") || type.startsWith("multipart/"));
            if (!attachment && (body == null || "text/html".equals(bodyType)) && type.equals("text/plain")) {
                readText(stream, d.getCharset());
                bodyType = type;
            } else if (!attachment && body == null && type.equals("text/html")) {
                try (InputStream in = BoundedInputStream.builder().setInputStream(stream.getDecodedInputStream())
                        .setMaxCount(HtmlProcessor.MAX_BYTES).get()) {
                    HtmlText html = HtmlText.read(in, charset(d.getCharset()).name(), maxChars);
                    body = html.text.toString();
                    bodyTruncated = html.text.truncated();
                    bodyType = type;
                }
            } else if (attachment) {
                attachmentCount++;
                String decodedName = filename == null ? null : decode(filename);
                if (attachments.size() < MAX_ATTACHMENTS_LISTED) {
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("name", decodedName);
                    a.put("type", type);
                    NestedAttachments.Result r = nested.read(decodedName, type, stream.getDecodedInputStream());
                    a.put("size", r.size());
                    if (r.content() != null) {
                        a.put("processed_content", r.content());
                    }
                    attachments.add(a);
                } else {
                    count(stream.getDecodedInputStream());
                }
            }
        }

        private void readText(MimeTokenStream stream, String charsetName) throws IOException {
            StringBuilder s = new StringBuilder();
            try (Reader r = new InputStreamReader(stream.getDecodedInputStream(), charset(charsetName))) {
                char[] buf = new char[8192];
                for (int n; (n = r.read(buf)) > 0; ) {
                    int room = maxChars - s.length();
                    s.append(buf, 0, Math.min(n, Math.max(0, room)));
                    if (n > room) {
                        bodyTruncated = true;
                        break;
                    }
                }
            }
            body = s.toString().replace("\r\n", "\n").strip();
        }

        Map<String, Object> result() {
            CappedText text = new CappedText(maxChars);
            headerLine(text, "From", fields.get("from"));
            headerLine(text, "To", fields.get("to"));
            headerLine(text, "Cc", fields.get("cc"));
            headerLine(text, "Date", fields.get("date"));
            headerLine(text, "Subject", fields.get("subject"));
            int bodyStart = -1;
            if (body != null && !body.isEmpty()) {
                text.block();
                bodyStart = text.length();
                text.append(body);
            }
            int bodyEnd = text.length();
            for (Map<String, Object> a : attachments) {
                text.block().append("[Attachment] " + (a.get("name") == null ? "(unnamed)" : a.get("name")) + " ("
                        + a.get("type") + ", " + Texts.bytes((Long) a.get("size")) + ")");
                NestedAttachments.appendText(text, a);
            }
            boolean cut = truncated || bodyTruncated || text.truncated();
            long words = Texts.countWords(body == null ? "" : body);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("type", "email");
            out.put("text", text.toString());
            out.put("overview", overview(words, cut));
            out.putAll(fields);
            if (bodyStart >= 0) {
                out.put("body_span", Spans.span(bodyStart, bodyEnd));
                out.put("body_type", bodyType);
            }
            out.put("attachments", attachments);
            out.put("attachment_count", attachmentCount);
            out.put("parts", parts);
            out.put("words", words);
            out.put("truncated", cut);
            if (!warnings.isEmpty()) {
                out.put("warnings", List.copyOf(new java.util.LinkedHashSet<>(warnings)));
            }
            return out;
        }

        private String overview(long words, boolean cut) {
            StringBuilder s = new StringBuilder("Email");
            if (fields.get("subject") != null) {
                s.append(" \"").append(fields.get("subject")).append('"');
            }
            if (fields.get("from") instanceof List<?> from && !from.isEmpty()) {
                s.append(" from ").append(from.get(0));
            }
            if (fields.get("date") != null) {
                s.append(" on ").append(fields.get("date"));
            }
            s.append(", ").append(Texts.plural(words, "word"));
            if (attachmentCount > 0) {
                List<String> names = new ArrayList<>();
                for (Map<String, Object> a : attachments.subList(0, Math.min(10, attachments.size()))) {
                    names.add(a.get("name") == null ? "(unnamed " + a.get("type") + ")" : (String) a.get("name"));
                }
                s.append(", ").append(Texts.plural(attachmentCount, "attachment")).append(": ").append(String.join(", ", names))
                        .append(attachmentCount > 10 ? ", ..." : "");
            }
            if (cut) {
                s.append(" (truncated)");
            }
            return s.append('.').toString();
        }

        private static void headerLine(CappedText text, String name, Object value) {
            if (value == null || (value instanceof List<?> l && l.isEmpty())) {
                return;
            }
            text.line().append(name + ": " + (value instanceof List<?> l ? String.join(", ", l.stream().map(String::valueOf).toList()) : value));
        }

        private static List<String> addresses(Field field) {
            List<String> out = new ArrayList<>();
            ParsedField parsed = parse(field);
            List<? extends Address> list = parsed instanceof MailboxListField mf && mf.getMailboxList() != null ? mf.getMailboxList()
                    : parsed instanceof AddressListField af && af.getAddressList() != null ? af.getAddressList().flatten() : null;
            if (list == null || list.isEmpty()) {
                String raw = decode(field.getBody());
                return raw.isEmpty() ? out : List.of(raw);
            }
            for (Address a : list) {
                if (a instanceof Mailbox mb) {
                    String address = mb.getAddress();
                    out.add(mb.getName() == null || mb.getName().isBlank() ? address : mb.getName() + " <" + address + ">");
                } else {
                    out.add(a.toString());
                }
            }
            return out;
        }

        private static ParsedField parse(Field field) {
            try {
                return DefaultFieldParser.getParser().parse(field, DecodeMonitor.SILENT);
            } catch (RuntimeException e) {
                return null;
            }
        }

        private static String decode(String s) {
            return s == null ? "" : DecoderUtil.decodeEncodedWords(s, DecodeMonitor.SILENT).replaceAll("\\s+", " ").strip();
        }

        private static Charset charset(String name) {
            try {
                return name == null ? StandardCharsets.UTF_8
                        : "us-ascii".equalsIgnoreCase(name) ? StandardCharsets.UTF_8 : Charset.forName(name);
            } catch (RuntimeException e) {
                return StandardCharsets.UTF_8;
            }
        }

        private static long count(InputStream in) throws IOException {
            long n = 0;
            byte[] buf = new byte[8192];
            for (int r; (r = in.read(buf)) > 0; ) {
                n += r;
            }
            return n;
        }
    }
}

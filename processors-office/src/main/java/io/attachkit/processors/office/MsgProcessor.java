package io.attachkit.processors.office;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingInput;
import io.attachkit.ProcessingLimits;
import io.attachkit.processors.internal.TempCopy;
import io.attachkit.processors.internal.Texts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.hsmf.MAPIMessage;
import org.apache.poi.hsmf.datatypes.AttachmentChunks;
import org.apache.poi.hsmf.datatypes.ByteChunk;
import org.apache.poi.hsmf.datatypes.MAPIProperty;
import org.apache.poi.hsmf.datatypes.PropertyValue;
import org.apache.poi.hsmf.datatypes.RecipientChunks;
import org.apache.poi.hsmf.datatypes.StringChunk;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Reads Outlook messages ({@code .msg}) with Apache POI's HSMF, into the same result as {@link EmlProcessor}:
 * {@code type} = {@code email}; {@code from}, {@code to}, {@code cc} (lists of {@code Name <address>}),
 * {@code date} (ISO instant), {@code subject}, {@code message_id}; {@code text}: the header lines, then the body
 * (the plain-text body, else the HTML body as text through the HTML processor's extraction), {@code body_span},
 * {@code body_type}; {@code attachments}: {@code {name, type, size}} and, inside {@link io.attachkit.Attachments},
 * each file's {@code processed_content} (bounded as {@link NestedAttachments} says; an attached Outlook message is
 * listed with its subject, not processed again); {@code words}, {@code truncated}, {@code overview}.
 * Thread-safe.
 */
public final class MsgProcessor extends OfficeProcessor {
    static final String MIME = "application/vnd.ms-outlook";
    private static final String KIND = "Outlook message";

    /** Creates the processor. */
    public MsgProcessor() {
        super("msg", MIME);
    }

    @Override
    public ProcessedContent process(ProcessingInput input, ProcessingLimits limits) {
        String name = input.filename();
        try (TempCopy copy = TempCopy.of(input, ".msg");
             POIFSFileSystem fs = new POIFSFileSystem(copy.path().toFile(), true);
             MAPIMessage msg = new MAPIMessage(fs)) {
            msg.setReturnNullOnMissingChunk(true);
            if (!fs.getRoot().hasEntry("__properties_version1.0") && msg.getMainChunks().getSubjectChunk() == null
                    && msg.getMainChunks().getTextBodyChunk() == null) {
                throw new ProcessingException("'" + name + "' is an OLE2 file but not an " + KIND + ": it has no message properties");
            }
            EmlProcessor.Message m = new EmlProcessor.Message(limits.maxOutputChars(), new NestedAttachments(input.nested(), limits));
            readHeaders(msg, m);
            Texts.checkInterrupted(name);
            readBody(msg, m);
            readAttachments(msg, m, name);
            return ProcessedContent.of(m.result());
        } catch (ProcessingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw OoxmlFiles.failure(name, KIND, e);
        }
    }

    private static void readHeaders(MAPIMessage msg, EmlProcessor.Message m) throws IOException {
        String fromName = text(msg.getMainChunks().getDisplayFromChunk());
        String fromAddress = text(msg.getMainChunks().getEmailFromChunk());
        if (fromName != null || fromAddress != null) {
            m.fields.put("from", List.of(address(fromName, fromAddress)));
        }
        List<String> to = new ArrayList<>();
        List<String> cc = new ArrayList<>();
        for (RecipientChunks r : msg.getRecipientDetailsChunks()) {
            String display = text(r.getRecipientDisplayNameChunk());
            String rName = display != null ? display : text(r.getRecipientNameChunk());
            String smtp = text(r.getRecipientSMTPChunk());
            String rAddress = smtp != null ? smtp : text(r.getRecipientEmailChunk());
            (recipientType(r) == 2 ? cc : to).add(address(rName, rAddress));
        }
        if (to.isEmpty() && cc.isEmpty()) { // no recipient storages: the display lines are all there is
            to.addAll(split(text(msg.getMainChunks().getDisplayToChunk())));
            cc.addAll(split(text(msg.getMainChunks().getDisplayCCChunk())));
        }
        m.fields.put("to", to);
        if (!cc.isEmpty()) {
            m.fields.put("cc", cc);
        }
        Calendar date = messageDate(msg);
        if (date != null) {
            m.fields.put("date", DateTimeFormatter.ISO_INSTANT.format(date.toInstant()));
        }
        String subject = text(msg.getMainChunks().getSubjectChunk());
        if (subject != null) {
            m.fields.put("subject", subject.replaceAll("\\s+", " ").strip());
        }
        String id = text(msg.getMainChunks().getMessageId());
        if (id != null) {
            m.fields.put("message_id", id.strip());
        }
        m.headers = m.fields.size();
    }

    private static Calendar messageDate(MAPIMessage msg) {
        try {
            return msg.getMessageDate();
        } catch (RuntimeException | org.apache.poi.hsmf.exceptions.ChunkNotFoundException e) {
            return null; // no date property and no transport headers
        }
    }

    private static int recipientType(RecipientChunks r) {
        List<PropertyValue> type = r.getProperties().get(MAPIProperty.RECIPIENT_TYPE);
        return type != null && !type.isEmpty() && type.get(0).getValue() instanceof Number n ? n.intValue() : 1;
    }

    private static void readBody(MAPIMessage msg, EmlProcessor.Message m) throws IOException {
        String plain = text(msg.getMainChunks().getTextBodyChunk());
        if (plain != null && !plain.isBlank()) {
            String body = plain.replace("\r\n", "\n").strip();
            m.bodyTruncated = body.length() > m.maxChars;
            m.body = m.bodyTruncated ? body.substring(0, m.maxChars) : body;
            m.bodyType = "text/plain";
            return;
        }
        byte[] html = null;
        ByteChunk binary = msg.getMainChunks().getHtmlBodyChunkBinary();
        if (binary != null && binary.getValue() != null) {
            html = binary.getValue();
        } else if (text(msg.getMainChunks().getHtmlBodyChunkString()) != null) {
            html = text(msg.getMainChunks().getHtmlBodyChunkString()).getBytes(StandardCharsets.UTF_8);
        }
        if (html != null) {
            HtmlText h = HtmlText.read(new ByteArrayInputStream(html), null, m.maxChars);
            m.body = h.text.toString();
            m.bodyTruncated = h.text.truncated();
            m.bodyType = "text/html";
        }
    }

    private static void readAttachments(MAPIMessage msg, EmlProcessor.Message m, String name) throws IOException {
        for (AttachmentChunks a : msg.getAttachmentFiles()) {
            Texts.checkInterrupted(name);
            m.attachmentCount++;
            if (m.attachments.size() >= EmlProcessor.MAX_ATTACHMENTS_LISTED) {
                continue;
            }
            String longName = text(a.getAttachLongFileName());
            String fileName = longName != null ? longName : text(a.getAttachFileName());
            String mime = text(a.getAttachMimeTag());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", fileName);
            if (a.isEmbeddedMessage()) {
                MAPIMessage inner = a.getEmbeddedMessage();
                inner.setReturnNullOnMissingChunk(true);
                entry.put("type", MIME);
                entry.put("size", -1L);
                String subject = text(inner.getMainChunks().getSubjectChunk());
                entry.put("processed_content", Map.of("type", "email", "subject", subject == null ? "" : subject,
                        "skipped", "an attached Outlook message is listed, not processed"));
            } else {
                byte[] data = a.getAttachData() == null ? null : a.getAttachData().getValue();
                entry.put("type", mime == null ? "application/octet-stream" : mime);
                if (data == null) {
                    entry.put("size", 0L);
                } else {
                    NestedAttachments.Result r = m.nested.read(fileName, mime, data);
                    entry.put("size", r.size());
                    if (r.content() != null) {
                        entry.put("processed_content", r.content());
                    }
                }
            }
            m.attachments.add(entry);
        }
    }

    private static String address(String name, String address) {
        if (address == null || address.isBlank() || address.equals(name)) {
            return name == null ? "" : name;
        }
        return name == null || name.isBlank() ? address : name + " <" + address + ">";
    }

    private static List<String> split(String display) {
        List<String> out = new ArrayList<>();
        if (display != null) {
            for (String s : display.split(";")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }

    private static String text(StringChunk chunk) {
        if (chunk == null) {
            return null;
        }
        String v = chunk.getValue();
        return v == null || v.isEmpty() ? null : v.replace("\0", "");
    }
}

package io.attachkit.processors.office;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.poifs.filesystem.DirectoryEntry;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Writes Outlook messages (.msg) for tests: POI reads MSG (HSMF) but writes none, so this builds the compound file
 * with POIFS from the documented layout ([MS-OXMSG]): value streams named {@code __substg1.0_XXXXYYYY} (property
 * id, property type), a {@code __properties_version1.0} stream of fixed-size values (the dates, recipient types),
 * and one {@code __recip_version1.0_#N} / {@code __attach_version1.0_#N} storage per recipient and attachment.
 */
final class MsgFixtures {
    private static final int PT_LONG = 0x0003;
    private static final int PT_SYSTIME = 0x0040;
    private static final int PT_UNICODE = 0x001F;
    private static final int PT_BINARY = 0x0102;

    /** One recipient: type 1 = To, 2 = Cc. */
    record Recipient(String name, String address, int type) {
    }

    /** One attached file. */
    record Attached(String name, String mimeType, byte[] data) {
    }

    private final List<Recipient> recipients = new ArrayList<>();
    private final List<Attached> attachments = new ArrayList<>();
    private String subject;
    private String fromName;
    private String fromAddress;
    private String textBody;
    private String htmlBody;
    private Instant date;

    static MsgFixtures message() {
        return new MsgFixtures();
    }

    MsgFixtures subject(String s) {
        subject = s;
        return this;
    }

    MsgFixtures from(String name, String address) {
        fromName = name;
        fromAddress = address;
        return this;
    }

    MsgFixtures to(String name, String address) {
        recipients.add(new Recipient(name, address, 1));
        return this;
    }

    MsgFixtures cc(String name, String address) {
        recipients.add(new Recipient(name, address, 2));
        return this;
    }

    MsgFixtures text(String body) {
        textBody = body;
        return this;
    }

    MsgFixtures html(String body) {
        htmlBody = body;
        return this;
    }

    MsgFixtures date(Instant d) {
        date = d;
        return this;
    }

    MsgFixtures attach(String name, String mimeType, byte[] data) {
        attachments.add(new Attached(name, mimeType, data));
        return this;
    }

    /** The memo the MSG tests read: From, To, Cc, a date, a plain body and a DOCX and a CSV attached. */
    static byte[] memo() {
        return message().subject("Quarterly numbers").from("Ada Lovelace", "ada@example.org")
                .to("Bob", "bob@example.org").to("Carol", "carol@example.org").cc("Grace", "grace@example.net")
                .date(Instant.parse("2024-03-04T05:06:07Z")).text("Hello Bob,\r\nthe numbers are attached.")
                .html("<p>Hello <b>Bob</b> (HTML)</p>")
                .attach("report.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", OfficeFixtures.reportDocx())
                .attach("cities.csv", "text/csv", "city,people\nParis,2100000\n".getBytes(StandardCharsets.UTF_8))
                .write();
    }

    byte[] write() {
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            DirectoryEntry root = fs.getRoot();
            string(root, 0x001A, "IPM.Note");
            string(root, 0x0037, subject);
            string(root, 0x0070, subject);
            string(root, 0x0C1A, fromName);
            string(root, 0x0C1F, fromAddress);
            string(root, 0x0042, fromName);
            string(root, 0x0065, fromAddress);
            string(root, 0x0E04, join(1));
            string(root, 0x0E03, join(2));
            string(root, 0x1000, textBody);
            if (htmlBody != null) {
                binary(root, 0x1013, htmlBody.getBytes(StandardCharsets.UTF_8));
            }
            ByteArrayOutputStream props = new ByteArrayOutputStream();
            props.write(new byte[8]);
            props.write(le(recipients.size()));
            props.write(le(attachments.size()));
            props.write(le(recipients.size()));
            props.write(le(attachments.size()));
            props.write(new byte[8]);
            if (date != null) {
                long filetime = (date.getEpochSecond() + 11_644_473_600L) * 10_000_000L + date.getNano() / 100;
                fixed(props, 0x0039, PT_SYSTIME, filetime);
                fixed(props, 0x0E06, PT_SYSTIME, filetime);
            }
            root.createDocument("__properties_version1.0", new ByteArrayInputStream(props.toByteArray()));
            root.createDirectory("__nameid_version1.0").createDocument("__substg1.0_00020102", new ByteArrayInputStream(new byte[0]));
            for (int i = 0; i < recipients.size(); i++) {
                Recipient r = recipients.get(i);
                DirectoryEntry d = root.createDirectory(String.format("__recip_version1.0_#%08X", i));
                string(d, 0x3001, r.name());
                string(d, 0x3003, r.address());
                string(d, 0x39FE, r.address());
                string(d, 0x3002, "SMTP");
                ByteArrayOutputStream rp = new ByteArrayOutputStream();
                rp.write(new byte[8]);
                fixed(rp, 0x0C15, PT_LONG, r.type());
                fixed(rp, 0x3000, PT_LONG, i);
                d.createDocument("__properties_version1.0", new ByteArrayInputStream(rp.toByteArray()));
            }
            for (int i = 0; i < attachments.size(); i++) {
                Attached a = attachments.get(i);
                DirectoryEntry d = root.createDirectory(String.format("__attach_version1.0_#%08X", i));
                string(d, 0x3707, a.name());
                string(d, 0x3704, a.name().length() > 12 ? a.name().substring(0, 8) : a.name());
                string(d, 0x3001, a.name());
                string(d, 0x370E, a.mimeType());
                binary(d, 0x3701, a.data());
                ByteArrayOutputStream ap = new ByteArrayOutputStream();
                ap.write(new byte[8]);
                fixed(ap, 0x3705, PT_LONG, 1); // ATTACH_BY_VALUE
                fixed(ap, 0x0E20, PT_LONG, a.data().length);
                fixed(ap, 0x0E21, PT_LONG, i);
                d.createDocument("__properties_version1.0", new ByteArrayInputStream(ap.toByteArray()));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String join(int type) {
        return String.join("; ", recipients.stream().filter(r -> r.type() == type).map(Recipient::name).toList());
    }

    private static void string(DirectoryEntry dir, int id, String value) throws IOException {
        if (value != null) {
            dir.createDocument(String.format("__substg1.0_%04X%04X", id, PT_UNICODE),
                    new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_16LE)));
        }
    }

    private static void binary(DirectoryEntry dir, int id, byte[] value) throws IOException {
        dir.createDocument(String.format("__substg1.0_%04X%04X", id, PT_BINARY), new ByteArrayInputStream(value));
    }

    private static void fixed(ByteArrayOutputStream props, int id, int type, long value) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((id << 16) | type).putInt(0x6).putLong(value);
        props.writeBytes(b.array());
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}

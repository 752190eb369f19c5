package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.message.BodyPartBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.message.MultipartBuilder;
import org.junit.jupiter.api.Test;

/** {@link EmlProcessor} on emails mime4j writes in the test, and on hostile MIME structures. */
class EmlProcessorTest {
    private final EmlProcessor processor = new EmlProcessor();

    private ProcessedContent process(byte[] eml) {
        return processor.process(OfficeFixtures.input("mail.eml", "message/rfc822", eml), ProcessingLimits.defaults());
    }

    static byte[] write(Message message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DefaultMessageWriter().writeMessage(message, out);
        return out.toByteArray();
    }

    /** From, To, Cc, a non-ASCII subject (RFC 2047 encoded by mime4j), plain + HTML alternatives, two attachments. */
    static byte[] invoiceEmail() throws IOException {
        var alternative = MultipartBuilder.create("alternative")
                .addBodyPart(BodyPartBuilder.create().setBody("Hallo Ada,\nanbei die Rechnung.", "plain", StandardCharsets.UTF_8))
                .addBodyPart(BodyPartBuilder.create().setBody("<p>Hallo <b>Ada</b>, HTML version</p>", "html", StandardCharsets.UTF_8))
                .build();
        byte[] pdf = new byte[1234];
        var mixed = MultipartBuilder.create("mixed")
                .addBodyPart(BodyPartBuilder.create().setBody(alternative))
                .addBodyPart(BodyPartBuilder.create().setBody(pdf, "application/pdf").setContentDisposition("attachment", "invoice.pdf"))
                .addBodyPart(BodyPartBuilder.create().setBody("Zeile 1\n", "plain", StandardCharsets.UTF_8)
                        .setContentDisposition("attachment", "Grüße.txt"))
                .build();
        return write(Message.Builder.of()
                .setFrom(new Mailbox("Jürgen Müller", "juergen", "example.com"))
                .setTo(new Mailbox("Ada Lovelace", "ada", "example.org"), new Mailbox("bob", "example.org"))
                .setCc(new Mailbox("Grace", "grace", "example.net"))
                .setSubject("Grüße aus Köln: Rechnung")
                .setDate(Date.from(java.time.Instant.parse("2024-03-04T05:06:07Z")))
                .setMessageId("<abc@example.com>")
                .setBody(mixed)
                .build());
    }

    @Test
    void headers_areDecoded_bodyPrefersPlainText_attachmentsAreListed() throws IOException {
        byte[] eml = invoiceEmail();
        assertThat(new String(eml, StandardCharsets.US_ASCII)).contains("Subject: =?ISO-8859-1?Q?Gr=FC=DFe"); // really RFC 2047 encoded
        ProcessedContent c = process(eml);
        assertThat(c.type()).isEqualTo("email");
        assertThat(c.get("from")).isEqualTo(List.of("Jürgen Müller <juergen@example.com>"));
        assertThat(c.get("to")).isEqualTo(List.of("Ada Lovelace <ada@example.org>", "bob@example.org"));
        assertThat(c.get("cc")).isEqualTo(List.of("Grace <grace@example.net>"));
        assertThat(c.get("subject")).isEqualTo("Grüße aus Köln: Rechnung");
        assertThat(c.get("date")).isEqualTo("2024-03-04T05:06:07Z");
        assertThat(c.get("message_id")).isEqualTo("<abc@example.com>");
        assertThat(c.get("body_type")).isEqualTo("text/plain");
        assertThat(c.get("attachments")).isEqualTo(List.of(
                Map.of("name", "invoice.pdf", "type", "application/pdf", "size", 1234L),
                Map.of("name", "Grüße.txt", "type", "text/plain", "size", 8L)));
        assertThat(c.text()).isEqualTo("""
                From: Jürgen Müller <juergen@example.com>
                To: Ada Lovelace <ada@example.org>, bob@example.org
                Cc: Grace <grace@example.net>
                Date: 2024-03-04T05:06:07Z
                Subject: Grüße aus Köln: Rechnung

                Hallo Ada,
                anbei die Rechnung.

                [Attachment] invoice.pdf (application/pdf, 1.2 KB)

                [Attachment] Grüße.txt (text/plain, 8 bytes)""");
        @SuppressWarnings("unchecked")
        Map<String, Object> span = (Map<String, Object>) c.get("body_span");
        assertThat(c.text().substring((Integer) span.get("start"), (Integer) span.get("end"))).isEqualTo("Hallo Ada,\nanbei die Rechnung.");
        assertThat(c.overview()).startsWith("Email \"Grüße aus Köln: Rechnung\" from Jürgen Müller <juergen@example.com>")
                .contains("2 attachments: invoice.pdf, Grüße.txt");
    }

    @Test
    void htmlOnlyEmail_bodyComesThroughTheHtmlExtraction() throws Exception {
        byte[] eml = write(Message.Builder.of().setFrom("a@example.com").setSubject("News")
                .setBody("<html><body><h1>Hello</h1><script>x()</script><p>World</p></body></html>", "html", StandardCharsets.UTF_8)
                .build());
        ProcessedContent c = process(eml);
        assertThat(c.get("body_type")).isEqualTo("text/html");
        assertThat(c.text()).endsWith("Subject: News\n\nHello\nWorld");
    }

    @Test
    void tenThousandParts_areBounded() {
        StringBuilder s = new StringBuilder("From: a@example.com\r\nSubject: many\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n");
        for (int i = 0; i < 10_000; i++) {
            s.append("--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"f")
                    .append(i).append(".bin\"\r\n\r\nx\r\n");
        }
        s.append("--b--\r\n");
        ProcessedContent c = process(s.toString().getBytes(StandardCharsets.US_ASCII));
        assertThat((Integer) c.get("parts")).isEqualTo(EmlProcessor.MAX_PARTS + 1);
        assertThat(c.get("truncated")).isEqualTo(true);
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("only the first 1000 parts"));
        assertThat((List<?>) c.get("attachments")).hasSizeLessThanOrEqualTo(EmlProcessor.MAX_ATTACHMENTS_LISTED);
    }

    @Test
    void deeplyNestedMultiparts_areBounded() {
        int depth = 5_000;
        StringBuilder s = new StringBuilder("From: a@example.com\r\nSubject: deep\r\nMIME-Version: 1.0\r\n");
        for (int i = 0; i < depth; i++) {
            s.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
        }
        s.append("Content-Type: text/plain\r\n\r\ninnermost\r\n");
        for (int i = depth - 1; i >= 0; i--) {
            s.append("--b").append(i).append("--\r\n");
        }
        ProcessedContent c = process(s.toString().getBytes(StandardCharsets.US_ASCII));
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("nested deeper than " + EmlProcessor.MAX_DEPTH));
    }

    @Test
    void emailAttachingItself_isListedOnce_notParsedAgain() throws Exception {
        byte[] inner = invoiceEmail();
        var mixed = MultipartBuilder.create("mixed")
                .addBodyPart(BodyPartBuilder.create().setBody("see attached", "plain", StandardCharsets.UTF_8))
                .addBodyPart(BodyPartBuilder.create().setBody(inner, "message/rfc822").setContentDisposition("attachment", "fwd.eml"))
                .build();
        ProcessedContent c = process(write(Message.Builder.of().setFrom("a@example.com").setSubject("Fwd").setBody(mixed).build()));
        assertThat(c.get("subject")).isEqualTo("Fwd");
        assertThat((List<?>) c.get("attachments")).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> a = ((List<Map<String, Object>>) c.get("attachments")).get(0);
        assertThat(a).containsEntry("name", "fwd.eml").containsEntry("type", "message/rfc822");
    }

    @Test
    void binaryGarbage_isNotAnEmail() {
        byte[] junk = new byte[2048];
        new java.util.Random(7).nextBytes(junk);
        junk[0] = 0;
        assertThatThrownBy(() -> process(junk)).isInstanceOf(ProcessingException.class);
    }
}

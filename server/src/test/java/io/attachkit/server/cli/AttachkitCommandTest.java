package io.attachkit.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AttachkitCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    record Run(int code, String out, String err, byte[] binary) {
        List<Map<String, Object>> array() throws Exception {
            return JSON.readValue(out, new TypeReference<>() { });
        }

        Map<String, Object> object() throws Exception {
            return JSON.readValue(out, new TypeReference<>() { });
        }
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        CommandLine cl = new CommandLine(new AttachkitCommand(binary));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString(), binary.toByteArray());
    }

    private String store() {
        return dir.resolve("data").toString();
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void store_printsTylerJsonForEachFileAndExits0() throws Exception {
        Path csv = file("data.csv", "a,b\n2,123\n-3,4124\n1,7");
        Path txt = file("notes.txt", "hello notes");
        Run r = run("store", "--store", store(), csv.toString(), txt.toString());
        assertThat(r.code()).isZero();
        List<Map<String, Object>> items = r.array();
        assertThat(items).extracting(m -> m.get("filename")).containsExactly("data.csv", "notes.txt");
        assertThat(items).allSatisfy(m -> assertThat(m).containsEntry("status", "stored").containsKeys("file_id", "storage_path", "sha256"));
        assertThat(r.err()).doesNotContain("\r"); // no progress bar when not on a terminal
    }

    @Test
    void store_withAFailingItem_marksItFailedAndExits1() throws Exception {
        Path ok = file("ok.txt", "fine");
        Path exe = Files.write(dir.resolve("tool.exe"), new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0});
        Run r = run("store", "--store", store(), ok.toString(), exe.toString(), dir.resolve("missing.txt").toString());
        assertThat(r.code()).isEqualTo(1);
        List<Map<String, Object>> items = r.array();
        assertThat(items).extracting(m -> m.get("status")).containsExactly("stored", "failed", "failed");
        assertThat((String) items.get(1).get("error")).contains("unsupported type");
        assertThat((String) items.get(2).get("error")).contains("not a readable regular file");
    }

    @Test
    void store_printsFinishedResults_thenProcessReadsTheKeptResult_andReprocessRunsAgain() throws Exception {
        Path csv = file("data.csv", "a,b\n2,123\n-3,4124\n1,7");
        Map<String, Object> stored = run("store", "--store", store(), csv.toString()).array().get(0);
        assertThat(stored).containsEntry("processing_status", "done");
        String id = (String) stored.get("file_id");

        Run processed = run("process", "--store", store(), id);
        assertThat(processed.code()).isZero();
        assertThat(processed.array().get(0)).containsEntry("processing_status", "done")
                .containsEntry("processed_content", stored.get("processed_content"));

        Run reprocessed = run("reprocess", "--store", store(), id);
        assertThat(reprocessed.code()).isZero();
        assertThat(reprocessed.array().get(0)).containsEntry("file_id", id).containsEntry("processing_status", "done");

        Run unknown = run("reprocess", "--store", store(), "no-such-id");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.array().get(0)).containsEntry("status", "failed");
        assertThat(run("process", "--store", store()).code()).as("neither ids nor --pending").isEqualTo(2);
        Run pending = run("process", "--pending", "--store", store());
        assertThat(pending.code()).isZero();
        assertThat(pending.err()).contains("0 pending files processed");
    }

    @Test
    void get_ls_rm_roundTripAStoredFile() throws Exception {
        Path txt = file("notes.txt", "round trip me");
        Map<String, Object> stored = run("store", "--store", store(), txt.toString()).array().get(0);
        String id = (String) stored.get("file_id");

        Path out = dir.resolve("copy.txt");
        assertThat(run("get", "--store", store(), id, "-o", out.toString()).code()).isZero();
        assertThat(Files.readString(out)).isEqualTo("round trip me");
        Run toStdout = run("get", "--store", store(), "/files/" + stored.get("storage_path"));
        assertThat(new String(toStdout.binary(), StandardCharsets.UTF_8)).isEqualTo("round trip me");
        assertThat(run("get", "--store", store(), "--info", id).object()).containsEntry("filename", "notes.txt");

        List<Map<String, Object>> listed = run("ls", "--store", store()).array();
        assertThat(listed).extracting(m -> m.get("file_id")).containsExactly(id);

        Run rm = run("rm", "--store", store(), id, "nonexistent-id");
        assertThat(rm.code()).isEqualTo(1);
        assertThat(rm.object().get("deleted")).isEqualTo(List.of(id));
        assertThat(run("ls", "--store", store()).array()).isEmpty();
        assertThat(run("get", "--store", store(), "../../etc/passwd").code()).isEqualTo(1);
    }

    @Test
    void health_reportsAHealthyLocalStore() throws Exception {
        Run r = run("health", "--store", store());
        assertThat(r.code()).isZero();
        assertThat(r.object()).containsEntry("status", "ok").containsEntry("backend", "local");
    }

    @Test
    void gc_deletesOnlyUnreferencedFiles_andDryRunDeletesNothing() throws Exception {
        String keep = (String) run("store", "--store", store(), file("keep.txt", "keep").toString()).array().get(0).get("file_id");
        String drop = (String) run("store", "--store", store(), file("drop.txt", "drop").toString()).array().get(0).get("file_id");
        Path refs = Files.writeString(dir.resolve("thread.json"), "{\"messages\":[{\"attachments\":[{\"file_id\":\"" + keep + "\"}]}]}");

        Run dry = run("gc", "--store", store(), "--referenced", refs.toString(), "--dry-run", "--min-age", "PT0S");
        assertThat(dry.object().get("orphans")).isEqualTo(List.of(drop));
        assertThat(run("ls", "--store", store()).array()).hasSize(2);

        Run young = run("gc", "--store", store(), "--referenced", refs.toString());
        assertThat(young.object().get("deleted")).isEqualTo(List.of()); // younger than the default --min-age

        Run real = run("gc", "--store", store(), "--referenced", refs.toString(), "--min-age", "PT0S");
        assertThat(real.object().get("deleted")).isEqualTo(List.of(drop));
        assertThat(run("ls", "--store", store()).array()).extracting(m -> m.get("file_id")).containsExactly(keep);
    }

    @Test
    void help_isAvailableOnEveryCommand() {
        for (String cmd : new String[] {"store", "get", "ls", "rm", "health", "gc", "serve"}) {
            Run r = run(cmd, "--help");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: attachkit " + cmd);
        }
        assertThat(run("--help").out()).contains("store", "serve", "gc");
    }

    @Test
    void serve_withAJsonLimitAboveTheBodyLimit_isAUsageError() {
        Run r = run("serve", "--store", store(), "--port", "0", "--max-body-size", "1000", "--max-json-body-size", "2000");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("maxJsonBodySize");
        assertThat(run("serve", "--store", store(), "--port", "0", "--json-memory-budget", "10").code()).isEqualTo(2);
        assertThat(run("serve", "--help").out()).contains("--max-json-body-size", "--json-memory-budget");
    }

    @Test
    void missingArguments_areUsageErrors() {
        assertThat(run("store").code()).isEqualTo(2);
        assertThat(run("gc").code()).isEqualTo(2);
    }
}

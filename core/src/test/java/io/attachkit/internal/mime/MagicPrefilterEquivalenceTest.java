package io.attachkit.internal.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fast MIME path (Tika's magic pass skipped when no magic can match) gives the same detection as Tika's
 * full pass: on every file the repository's tests and examples read from disk, on their prefixes, and on
 * generated headers that carry fragments of magic patterns.
 */
class MagicPrefilterEquivalenceTest {
    private final MimeDetector fast = new MimeDetector();
    private final MimeDetector tika = MimeDetector.tikaOnly();

    @org.junit.jupiter.api.BeforeAll
    static void fastPathIsReady() {
        assertThat(MimeDetector.awaitFastPath()).isTrue();
    }

    @Test
    void prefilter_isLoadedFromTikasBundledTypes() {
        MagicPrefilter filter = MagicPrefilter.load();
        assertThat(filter).isNotNull();
        // regexes and a few clauses have no key and are always checked exactly; the rest have one
        assertThat(filter.unkeyedCount()).isLessThan(20);
    }

    @Test
    void everyCorpusFile_isDetectedAlike() throws IOException {
        List<Path> files = corpus();
        assertThat(files).hasSizeGreaterThan(100);
        int skipped = 0;
        MagicPrefilter filter = MagicPrefilter.load();
        for (Path file : files) {
            byte[] all = Files.readAllBytes(file);
            byte[] header = Arrays.copyOf(all, Math.min(all.length, fast.headerLength()));
            String name = file.getFileName().toString();
            assertAlike(header, name, null, file.toString());
            assertAlike(header, null, null, file.toString());
            for (int n : new int[] {1, 2, 3, 4, 8, 16, 64, 512, 4096}) {
                if (n < header.length) {
                    assertAlike(Arrays.copyOf(header, n), name, null, file + " (first " + n + " bytes)");
                }
            }
            if (!filter.anyMagicCanMatch(header)) {
                skipped++;
            }
        }
        // the comparison is worth something only if the fast path was taken for many of them
        assertThat(skipped).as("corpus files answered without Tika's magic pass").isGreaterThan(20);
    }

    @Test
    void generatedHeaders_withMagicFragments_areDetectedAlike() {
        String[] fragments = {"\nFrom: a@b\n", "\nReceived: by x\n", "\nMessage-ID: <1@x>\n", "<html", "<HTML>",
            "%PDF-1.7\n", "PK\u0003\u0004", "#!/bin/sh\n", "#!/usr/bin/env python\n", "<?xml version=\"1.0\"?>",
            "{\"a\": 1}", "BZh9", "\u001f\u008b\u0008", "GIF89a", "\u0089PNG\r\n\u001a\n", "ID3", "\u00ff\u00fb",
            "%!PS-Adobe-3.0", "<svg xmlns=\"http://www.w3.org/2000/svg\">", "RIFF\u0000\u0000\u0000\u0000WAVE",
            "\u00d0\u00cf\u0011\u00e0\u00a1\u00b1\u001a\u00e1", "MZ", "\u007fELF", "BEGIN:VCARD", "<!DOCTYPE html>",
            "function f(){}\n", "import os\n", "\\documentclass{article}", "MIME-Version: 1.0\n", "0\nSECTION\n"};
        Random random = new Random(20261201);
        for (int i = 0; i < 4000; i++) {
            int size = 1 + random.nextInt(i % 10 == 0 ? 20_000 : 3000);
            byte[] header = new byte[size];
            int kind = i % 4;
            for (int k = 0; k < size; k++) {
                header[k] = kind == 0 ? (byte) random.nextInt(256)
                        : (byte) " etaoinshrdlu\n,.ETAOIN0123:<>/-".charAt(random.nextInt(31));
            }
            int inserts = random.nextInt(3);
            for (int k = 0; k < inserts; k++) {
                byte[] f = fragments[random.nextInt(fragments.length)].getBytes(StandardCharsets.ISO_8859_1);
                int at = random.nextInt(8) == 0 ? 0 : random.nextInt(Math.max(1, size));
                System.arraycopy(f, 0, header, Math.min(at, size - 1), Math.min(f.length, size - Math.min(at, size - 1)));
            }
            assertAlike(header, "file" + i + (kind == 3 ? ".txt" : ""), kind == 2 ? "text/plain" : null, "case " + i);
        }
    }

    @Test
    void regexPatterns_getTikasAnswers_onCorpusAndGeneratedHeaders() throws IOException {
        MagicPrefilter filter = MagicPrefilter.load();
        List<byte[]> headers = new ArrayList<>();
        for (Path file : corpus()) {
            byte[] all = Files.readAllBytes(file);
            headers.add(Arrays.copyOf(all, Math.min(all.length, fast.headerLength())));
        }
        // fragments that Tika's regex magics look for, at the start, inside and cut short
        String[] regexBait = {"digraph G {", "  strict graph x", "// c\n// d\ngraph g", "/* c */ digraph", "P4\n", "P5", "P6 ",
            "X-Mailer: x\n", "DKIM-Signature: v", "ARC-Seal: i", "BZh9", "FCS3.0    ", "JAVA PROFILE 1.2.3,",
            "JAVA PROFILE 1.2.3\u0000", "\r%AI5_FileFormat 3\r", "function f1 =", "function abc\n", "0\nSECTION\n",
            "999\r\ncomment \n0\r\nSECTION\n", "  2\nHEADER\n", "12345nam", "00000cz", "\u00ff\u00fb", "\u00ff\u00f1ab"};
        String alphabet = " \n\r\tgraphdiP456X-:=/*0123SECTION\u00ff";
        Random random = new Random(20261202);
        for (int i = 0; i < 3000; i++) {
            int size = 1 + random.nextInt(i % 7 == 0 ? 12_000 : 700);
            byte[] h = new byte[size];
            for (int k = 0; k < size; k++) {
                h[k] = i % 3 == 0 ? (byte) random.nextInt(256) : (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            }
            byte[] f = regexBait[random.nextInt(regexBait.length)].getBytes(StandardCharsets.ISO_8859_1);
            int at = random.nextInt(3) == 0 ? 0 : random.nextInt(size);
            System.arraycopy(f, 0, h, at, Math.min(f.length, size - at));
            headers.add(h);
        }
        long compared = 0;
        long matched = 0;
        for (byte[] h : headers) {
            int[] r = filter.regexDisagreements(h);
            assertThat(r[0]).as("regex answers unlike Tika's for a header of " + h.length + " bytes").isZero();
            compared += r[1];
            matched += r[2];
        }
        // worth something only if many regexes were asked and some of them matched
        assertThat(compared).isGreaterThan(10_000);
        assertThat(matched).isGreaterThan(100);
    }

    private void assertAlike(byte[] header, String name, String declared, String what) {
        assertThat(fast.detect(header, name, declared)).as(what).isEqualTo(tika.detect(header, name, declared));
    }

    /** Every file under a src/test/resources folder of any module, and the examples' files. */
    private static List<Path> corpus() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("core").resolve("pom.xml"))) {
            dir = dir.getParent();
        }
        Path root = dir;
        assertThat(root).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).filter(p -> {
                String s = root.relativize(p).toString().replace('\\', '/');
                return !s.contains("/target/") && !s.startsWith(".") && !s.contains("/node_modules/")
                        && (s.contains("/src/test/resources/") || s.startsWith("examples/files/"));
            }).forEach(files::add);
        }
        return files;
    }
}

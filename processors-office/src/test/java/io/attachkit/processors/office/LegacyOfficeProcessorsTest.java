package io.attachkit.processors.office;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.ProcessedContent;
import io.attachkit.ProcessingException;
import io.attachkit.ProcessingLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.poi.hslf.usermodel.HSLFPictureShape;
import org.apache.poi.hslf.usermodel.HSLFSlide;
import org.apache.poi.hslf.usermodel.HSLFSlideShow;
import org.apache.poi.hslf.usermodel.HSLFTextBox;
import org.apache.poi.hssf.record.crypto.Biff8EncryptionKey;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.sl.usermodel.PictureData;
import org.junit.jupiter.api.Test;

/** {@link XlsProcessor} (HSSF) and {@link PptProcessor} (HSLF) on legacy files POI writes in the test. */
class LegacyOfficeProcessorsTest {

    static byte[] salesXls(String password) throws IOException {
        try (HSSFWorkbook wb = new HSSFWorkbook()) {
            var sheet = wb.createSheet("Sales");
            var header = sheet.createRow(0);
            header.createCell(0).setCellValue("Region");
            header.createCell(1).setCellValue("Units");
            String[] regions = {"North", "South"};
            for (int i = 0; i < 2; i++) {
                var row = sheet.createRow(i + 1);
                row.createCell(0).setCellValue(regions[i]);
                row.createCell(1).setCellValue((i + 1) * 10.5);
            }
            var total = sheet.createRow(3);
            total.createCell(0).setCellValue("Total");
            total.createCell(1).setCellFormula("SUM(B2:B3)");
            wb.getCreationHelper().createFormulaEvaluator().evaluateFormulaCell(total.getCell(1));
            wb.createSheet("Hidden").createRow(0).createCell(0).setCellValue("x");
            wb.setSheetHidden(1, true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (password != null) {
                Biff8EncryptionKey.setCurrentUserPassword(password);
            }
            try {
                wb.write(out);
            } finally {
                Biff8EncryptionKey.setCurrentUserPassword(null);
            }
            return out.toByteArray();
        }
    }

    static byte[] roadmapPpt() throws IOException {
        try (HSLFSlideShow show = new HSLFSlideShow()) {
            HSLFSlide first = show.createSlide();
            first.addTitle().setText("Roadmap");
            HSLFTextBox box = new HSLFTextBox();
            box.setText("Ship the parser");
            first.addShape(box);
            HSLFSlide second = show.createSlide();
            var picture = show.addPicture(OfficeFixtures.png(), PictureData.PictureType.PNG);
            second.addShape(new HSLFPictureShape(picture));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            show.write(out);
            return out.toByteArray();
        }
    }

    @Test
    void xls_sheetsStatsCachedFormulasAndHiddenSheets() throws IOException {
        ProcessedContent c = new XlsProcessor().process(OfficeFixtures.input("old.xls", XlsProcessor.MIME, salesXls(null)),
                ProcessingLimits.defaults());
        assertThat(c.type()).isEqualTo("spreadsheet");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sheets = (List<Map<String, Object>>) c.get("sheets");
        assertThat(sheets).extracting(s -> s.get("name")).containsExactly("Sales", "Hidden");
        assertThat(sheets.get(0)).containsEntry("header", true).containsEntry("columns", List.of("Region", "Units"))
                .containsEntry("row_count", 3L).containsEntry("used_range", "A1:B4");
        assertThat(sheets.get(1)).containsEntry("hidden", true);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> numeric = (Map<String, Map<String, Object>>) sheets.get(0).get("numeric_columns");
        assertThat(numeric.get("Units")).containsEntry("sum", 63L).containsEntry("max", 31.5);
        assertThat(c.text()).startsWith("## Sheet: Sales\nRegion,Units\nNorth,10.5\nSouth,21\nTotal,31.5\n");
        assertThat(c.overview()).startsWith("Excel 97-2003 workbook with 2 sheets: 'Sales': 3 rows x 2 columns");
    }

    @Test
    void encryptedXls_isRefused_sayingItIsEncrypted() throws IOException {
        byte[] xls = salesXls("secret");
        assertThatThrownBy(() -> new XlsProcessor().process(OfficeFixtures.input("locked.xls", XlsProcessor.MIME, xls),
                ProcessingLimits.defaults())).isInstanceOf(ProcessingException.class).hasMessageContaining("encrypted");
    }

    @Test
    void ppt_slidesTitlesBodiesAndPictures() throws IOException {
        ProcessedContent c = new PptProcessor().process(OfficeFixtures.input("old.ppt", PptProcessor.MIME, roadmapPpt()),
                ProcessingLimits.defaults());
        assertThat(c.type()).isEqualTo("presentation");
        assertThat(c.text()).isEqualTo("## Slide 1: Roadmap\nShip the parser\n\n## Slide 2");
        assertThat(c.get("pictures")).isEqualTo(1);
        assertThat(c.get("picture_only_slides")).isEqualTo(List.of(2));
    }

    @Test
    void truncatedLegacyFiles_areCorruptFileErrors() throws IOException {
        byte[] xls = salesXls(null);
        byte[] cut = java.util.Arrays.copyOf(xls, xls.length / 3);
        assertThatThrownBy(() -> new XlsProcessor().process(OfficeFixtures.input("cut.xls", XlsProcessor.MIME, cut),
                ProcessingLimits.defaults())).isInstanceOf(ProcessingException.class);
        byte[] ppt = roadmapPpt();
        byte[] cutPpt = java.util.Arrays.copyOf(ppt, ppt.length / 3);
        assertThatThrownBy(() -> new PptProcessor().process(OfficeFixtures.input("cut.ppt", PptProcessor.MIME, cutPpt),
                ProcessingLimits.defaults())).isInstanceOf(ProcessingException.class);
    }
}

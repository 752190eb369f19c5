package io.attachkit.processors.office;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/** The sheets of an xlsx workbook in order (name, hidden, relation id) and its date system, read with SAX. */
record WorkbookIndex(List<Sheet> sheets, boolean date1904) {
    /** One sheet's entry in {@code workbook.xml}. */
    record Sheet(String name, boolean hidden, String relationId) {
    }

    private static final String RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    static WorkbookIndex read(XSSFReader reader) throws Exception {
        List<Sheet> sheets = new ArrayList<>();
        boolean[] date1904 = {false};
        try (InputStream xml = reader.getWorkbookData()) {
            XMLReader parser = XMLHelper.newXMLReader();
            parser.setContentHandler(new DefaultHandler() {
                @Override
                public void startElement(String uri, String localName, String qName, Attributes a) {
                    if ("sheet".equals(localName)) {
                        String state = a.getValue("state");
                        String id = a.getValue(RELATIONSHIPS, "id");
                        if (id != null) {
                            String name = a.getValue("name");
                            sheets.add(new Sheet(name == null ? "Sheet" + (sheets.size() + 1) : name,
                                    "hidden".equals(state) || "veryHidden".equals(state), id));
                        }
                    } else if ("workbookPr".equals(localName)) {
                        String v = a.getValue("date1904");
                        date1904[0] = "1".equals(v) || "true".equals(v);
                    }
                }
            });
            parser.parse(new InputSource(xml));
        }
        return new WorkbookIndex(List.copyOf(sheets), date1904[0]);
    }
}

package org.noduled.dicom.sr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.ContentItemFactory;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.noduled.detect.Finding;
import org.noduled.detect.ModelIdentity;
import org.noduled.detect.SeriesFindings;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.series.SourceInstance;

class MeasurementReportBuilderTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} findings")
    @ValueSource(ints = {0, 1, 10})
    void report_passesDciodvfyWithoutErrors(int findings) throws Exception {
        Path file = write(SrFixtures.report(findings));
        SrValidators.Output out = SrValidators.dciodvfy(file);
        System.out.println("dciodvfy, " + findings + " findings:\n" + out.text());
        assertTrue(out.dciodvfyErrors().isEmpty(), "dciodvfy errors:\n" + String.join("\n", out.dciodvfyErrors()));
        assertTrue(out.text().contains("Comprehensive3DSR"), "dciodvfy did not recognise the IOD:\n" + out.text());
    }

    @ParameterizedTest(name = "{0} findings")
    @ValueSource(ints = {0, 1, 10})
    void report_isRenderedByDsrdumpWithoutErrors(int findings) throws Exception {
        Path file = write(SrFixtures.report(findings));
        SrValidators.Output out = SrValidators.dsrdump(file);
        assertEquals(0, out.exitCode(), "dsrdump failed:\n" + out.text());
        assertTrue(out.dcmtkErrors().isEmpty(), "dsrdump errors:\n" + String.join("\n", out.dcmtkErrors()));
        assertTrue(out.text().contains("Comprehensive 3D SR Document"), out.text());
        assertTrue(out.text().contains("# TID 1500 (DCMR)"), out.text());
        long groups = out.lines().stream().filter(l -> l.contains("(125007,DCM,\"Measurement Group\")")).count();
        assertEquals(findings, groups, out.text());
    }

    @Test
    void validators_reportAnErrorWhenAMandatoryAttributeIsMissing() throws Exception {
        // The negative control for the two tests above: the checks do fail on a broken SR.
        Path file = write(SrFixtures.report(1));
        AttributeList list = read(file);
        list.remove(TagFromName.CompletionFlag);
        list.write(file.toFile());
        SrValidators.Output out = SrValidators.dciodvfy(file);
        assertTrue(out.dciodvfyErrors().stream().anyMatch(l -> l.contains("CompletionFlag")), out.text());
    }

    @Test
    void header_copiesPatientAndStudyAndStartsAnSrSeriesNamingTheModel() throws Exception {
        MeasurementReport report = SrFixtures.report(2);
        AttributeList list = read(write(report));
        assertEquals(SOPClass.Comprehensive3DSRStorage, string(list, TagFromName.SOPClassUID));
        assertEquals(report.sopInstanceUid(), string(list, TagFromName.SOPInstanceUID));
        assertEquals("Phantom^Synthetic", string(list, TagFromName.PatientName));
        assertEquals("PHANTOM-0001", string(list, TagFromName.PatientID));
        assertEquals("ACC0001", string(list, TagFromName.AccessionNumber));
        assertEquals(SrFixtures.STUDY_UID, string(list, TagFromName.StudyInstanceUID));
        assertEquals("SR", string(list, TagFromName.Modality));
        assertEquals(report.seriesInstanceUid(), string(list, TagFromName.SeriesInstanceUID));
        assertNotEquals(SrFixtures.SERIES_UID, report.seriesInstanceUid());
        assertEquals("7001", string(list, TagFromName.SeriesNumber));
        String description = string(list, TagFromName.SeriesDescription);
        assertTrue(description.contains("nodule-2p5d 1.0.0") && description.contains("not for clinical use"),
                description);
        assertEquals("COMPLETE", string(list, TagFromName.CompletionFlag));
        assertEquals("UNVERIFIED", string(list, TagFromName.VerificationFlag));
        assertEquals("20240506", string(list, TagFromName.ContentDate));
        assertEquals("noduled project", string(list, TagFromName.Manufacturer));
        CodedSequenceItem procedure = CodedSequenceItem.getSingleCodedSequenceItemOrNull(list,
                TagFromName.PerformedProcedureCodeSequence);
        assertTrue(SrCode.CT_CHEST.matches(procedure), String.valueOf(procedure));
    }

    @Test
    void evidence_referencesEverySourceInstanceOnce() throws Exception {
        AttributeList list = read(write(SrFixtures.report(1)));
        AttributeList study = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(list,
                TagFromName.CurrentRequestedProcedureEvidenceSequence);
        assertEquals(SrFixtures.STUDY_UID, string(study, TagFromName.StudyInstanceUID));
        AttributeList series = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(study,
                TagFromName.ReferencedSeriesSequence);
        assertEquals(SrFixtures.SERIES_UID, string(series, TagFromName.SeriesInstanceUID));
        SequenceAttribute sops = (SequenceAttribute) series.get(TagFromName.ReferencedSOPSequence);
        List<String> referenced = new ArrayList<>();
        for (int i = 0; i < sops.getNumberOfItems(); i++) {
            AttributeList sop = sops.getItem(i).getAttributeList();
            assertEquals(SOPClass.CTImageStorage, string(sop, TagFromName.ReferencedSOPClassUID));
            referenced.add(string(sop, TagFromName.ReferencedSOPInstanceUID));
        }
        assertEquals(SrFixtures.instances(SrFixtures.SERIES_UID).stream().map(SourceInstance::sopInstanceUid)
                .toList(), referenced);
    }

    @Test
    void root_namesTemplateLanguageDeviceObserverAndProcedure() throws Exception {
        ContentItem root = tree(SrFixtures.report(1));
        assertTrue(SrCode.IMAGING_MEASUREMENT_REPORT.matches(root.getConceptName()));
        assertEquals("1500", ((ContentItemFactory.ContainerContentItem) root).getTemplateIdentifier());
        assertTrue(SrCode.ENGLISH_US.matches(code(child(root, SrCode.LANGUAGE_OF_CONTENT))));
        assertTrue(SrCode.DEVICE.matches(code(child(root, SrCode.OBSERVER_TYPE))));
        assertEquals(SrFixtures.DEVICE.observerUid(), text(root, SrCode.DEVICE_OBSERVER_UID));
        assertEquals("edge-node-1", text(root, SrCode.DEVICE_OBSERVER_NAME));
        assertEquals("noduled project", text(root, SrCode.DEVICE_OBSERVER_MANUFACTURER));
        assertEquals("noduled nodule CAD", text(root, SrCode.DEVICE_OBSERVER_MODEL_NAME));
        assertTrue(SrCode.CT_CHEST.matches(code(child(root, SrCode.PROCEDURE_REPORTED))));
    }

    @Test
    void eachFinding_becomesAMeasurementGroupWithItsCodesGeometryAndValues() throws Exception {
        SeriesFindings findings = SrFixtures.findings(10);
        ContentItem root = tree(SrFixtures.report(10));
        ContentItem measurements = child(root, SrCode.IMAGING_MEASUREMENTS);
        assertEquals(10, measurements.getChildCount());
        Set<String> trackingUids = new HashSet<>();
        for (int n = 0; n < 10; n++) {
            Finding finding = findings.findings().get(n);
            ContentItem group = (ContentItem) measurements.getChildAt(n);
            assertTrue(SrCode.MEASUREMENT_GROUP.matches(group.getConceptName()));
            assertEquals("1410", ((ContentItemFactory.ContainerContentItem) group).getTemplateIdentifier());
            assertEquals("nodule " + (n + 1), text(group, SrCode.TRACKING_IDENTIFIER));
            trackingUids.add(text(group, SrCode.TRACKING_UID));
            assertTrue(SrCode.NODULE.matches(code(child(group, SrCode.FINDING))));
            assertTrue(SrCode.LUNG.matches(code(child(group, SrCode.FINDING_SITE))));
            assertEquals("nodule-2p5d", text(group, SrCode.ALGORITHM_NAME));
            assertEquals("1.0.0", text(group, SrCode.ALGORITHM_VERSION));
            assertTrue(children(group, SrCode.ALGORITHM_PARAMETERS).stream()
                    .anyMatch(p -> p.getConceptValue().strip().equals("model_sha256=" + SrFixtures.SHA256)));

            ContentItem outline = child(group, SrCode.OUTLINE);
            assertEquals("SCOORD", outline.getValueType());
            assertEquals("CIRCLE", outline.getGraphicType());
            float[] circle = outline.getGraphicData();
            double radiusPixels = finding.diameterMm() / 2 / 0.7;
            assertEquals(finding.centerVoxel().x() + 0.5, circle[0], 1e-3);
            assertEquals(finding.centerVoxel().y() + 0.5, circle[1], 1e-3);
            assertEquals(finding.centerVoxel().x() + 0.5 + radiusPixels, circle[2], 1e-3);
            assertEquals(finding.centerVoxel().y() + 0.5, circle[3], 1e-3);
            ContentItem image = (ContentItem) outline.getChildAt(0);
            assertEquals("SELECTED FROM", image.getRelationshipType());
            assertEquals(SOPClass.CTImageStorage, image.getReferencedSOPClassUID());
            assertEquals(finding.nearestSliceUid(), image.getReferencedSOPInstanceUID());

            ContentItem region = child(group, SrCode.IMAGE_REGION);
            assertEquals("SCOORD3D", region.getValueType());
            assertEquals("POINT", region.getGraphicType());
            float[] point = region.getGraphicData();
            assertEquals(finding.centerMm().x(), point[0], 1e-3);
            assertEquals(finding.centerMm().y(), point[1], 1e-3);
            assertEquals(finding.centerMm().z(), point[2], 1e-3);
            assertEquals(SrFixtures.FRAME_OF_REFERENCE_UID,
                    ((ContentItemFactory.SpatialCoordinates3DContentItem) region).getReferencedFrameOfReferenceUID());
            assertTrue(indexOf(group, SrCode.OUTLINE) < indexOf(group, SrCode.IMAGE_REGION),
                    "image-based viewers draw the first spatial coordinate of a group: the 2D outline goes first");

            ContentItemFactory.NumericContentItem longAxis = numeric(group, SrCode.LONG_AXIS);
            assertEquals(finding.diameterMm(), Double.parseDouble(longAxis.getNumericValue()), 0.005);
            assertTrue(SrCode.MILLIMETER.matches(longAxis.getUnits()));
            ContentItemFactory.NumericContentItem certainty = numeric(group, SrCode.CERTAINTY_OF_FINDING);
            assertEquals(finding.score() * 100, Double.parseDouble(certainty.getNumericValue()), 0.05);
            assertTrue(SrCode.PERCENT.matches(certainty.getUnits()));
        }
        assertEquals(10, trackingUids.size(), "tracking UIDs must differ between findings");
        ContentItem library = child(child(root, SrCode.IMAGE_LIBRARY), SrCode.IMAGE_LIBRARY_GROUP);
        assertEquals(findings.findings().stream().map(Finding::nearestSliceUid).distinct().count(),
                library.getChildCount());
        assertTrue(SrCode.PRESENT.matches(code(child(child(root, SrCode.QUALITATIVE_EVALUATIONS), SrCode.NODULE))));
    }

    @Test
    void noFindings_statesThatNoNoduleWasDetected() throws Exception {
        ContentItem root = tree(SrFixtures.report(0));
        assertNull(root.getNamedChild(SrCode.IMAGING_MEASUREMENTS.scheme, SrCode.IMAGING_MEASUREMENTS.value));
        ContentItem evaluations = child(root, SrCode.QUALITATIVE_EVALUATIONS);
        ContentItem verdict = child(evaluations, SrCode.NODULE);
        assertTrue(SrCode.ABSENT.matches(code(verdict)));
        assertEquals("nodule-2p5d", text(verdict, SrCode.ALGORITHM_NAME), "who says there is none");
        assertEquals("1.0.0", text(verdict, SrCode.ALGORITHM_VERSION));
        assertTrue(children(verdict, SrCode.ALGORITHM_PARAMETERS).stream()
                .anyMatch(p -> p.getConceptValue().strip().equals("model_sha256=" + SrFixtures.SHA256)));
        String text = text(evaluations, SrCode.FINDING);
        assertTrue(text.startsWith("No lung nodules detected by nodule-2p5d 1.0.0"), text);
        assertTrue(text.contains("not for clinical use"), text);
    }

    @Test
    void uids_dependOnlyOnSourceSeriesAndModel() throws Exception {
        MeasurementReport first = SrFixtures.report(1);
        Clock later = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
        MeasurementReport again = new MeasurementReportBuilder(SrFixtures.DEVICE, 7001, later)
                .build(SrFixtures.source(), SrFixtures.findings(3), SrFixtures.GEOMETRY);
        assertEquals(first.sopInstanceUid(), again.sopInstanceUid(), "reprocessing must replace, not duplicate");
        assertEquals(first.seriesInstanceUid(), again.seriesInstanceUid());
        assertNotEquals(first.sopInstanceUid(), first.seriesInstanceUid());

        ModelIdentity retrained = new ModelIdentity("nodule-2p5d", "1.0.0", "int8", "f".repeat(64));
        SeriesFindings byOtherModel = new SeriesFindings(SrFixtures.SERIES_UID, SrFixtures.FRAME_OF_REFERENCE_UID,
                retrained, List.of());
        MeasurementReport other = new MeasurementReportBuilder(SrFixtures.DEVICE, 7001, SrFixtures.CLOCK)
                .build(SrFixtures.source(), byOtherModel, SrFixtures.GEOMETRY);
        assertNotEquals(first.sopInstanceUid(), other.sopInstanceUid());

        String otherSeries = "1.2.826.0.1.3680043.10.1234.1.9";
        MeasurementReport ofOtherSeries = new MeasurementReportBuilder(SrFixtures.DEVICE, 7001, SrFixtures.CLOCK)
                .build(SrFixtures.source(otherSeries), new SeriesFindings(otherSeries,
                        SrFixtures.FRAME_OF_REFERENCE_UID, SrFixtures.MODEL, List.of()), SrFixtures.GEOMETRY);
        assertNotEquals(first.sopInstanceUid(), ofOtherSeries.sopInstanceUid());
        for (String uid : List.of(first.sopInstanceUid(), first.seriesInstanceUid(), other.sopInstanceUid())) {
            assertTrue(uid.matches("2\\.25\\.[1-9][0-9]*") && uid.length() <= 64, uid);
        }
    }

    @Test
    void build_findingsOfAnotherSeries_isRefused() throws Exception {
        SeriesFindings elsewhere = new SeriesFindings("1.2.3.4.5", SrFixtures.FRAME_OF_REFERENCE_UID,
                SrFixtures.MODEL, List.of());
        DicomException e = assertThrows(DicomException.class, () -> new MeasurementReportBuilder(
                SrFixtures.DEVICE, 7001, SrFixtures.CLOCK).build(SrFixtures.source(), elsewhere, SrFixtures.GEOMETRY));
        assertTrue(e.getMessage().contains("1.2.3.4.5"), e.getMessage());
    }

    @Test
    void build_findingOnASliceTheSeriesLacks_isRefusedNamingTheSlice() throws Exception {
        Finding stray = new Finding(SrFixtures.GEOMETRY.toPatient(10, 10, 1), new org.noduled.preprocess.Vec3(10,
                10, 1), 5, 0.5, "9.9.9.9.424242");
        SeriesFindings findings = new SeriesFindings(SrFixtures.SERIES_UID, SrFixtures.FRAME_OF_REFERENCE_UID,
                SrFixtures.MODEL, List.of(stray));
        DicomException e = assertThrows(DicomException.class, () -> new MeasurementReportBuilder(
                SrFixtures.DEVICE, 7001, SrFixtures.CLOCK).build(SrFixtures.source(), findings, SrFixtures.GEOMETRY));
        assertTrue(e.getMessage().contains("9.9.9.9.424242"), e.getMessage());
    }

    @Test
    void seriesDescription_longModelName_isCutToSixtyFourCharactersKeepingTheDisclaimer() throws Exception {
        ModelIdentity longName = new ModelIdentity("a-very-long-model-name-".repeat(4), "12.34.56", "fp32",
                SrFixtures.SHA256);
        String description = MeasurementReportBuilder.seriesDescription(longName);
        assertEquals(64, description.length(), description);
        assertTrue(description.endsWith("synthetic, not for clinical use"), description);
    }

    @Test
    void seriesDescription_shippedModelName_keepsTheWholeVersion() throws Exception {
        ModelIdentity shipped = new ModelIdentity("noduled-lung-2p5d", "1.0.0", "pruned-int8", SrFixtures.SHA256);
        assertEquals("noduled-lung-2p5d 1.0.0 - synthetic, not for clinical use",
                MeasurementReportBuilder.seriesDescription(shipped));
    }

    @Test
    void seriesDescription_modelTextOutsideAscii_becomesPrintableAscii() throws Exception {
        ModelIdentity accented = new ModelIdentity("n\u00f6dule\\net", "1.0", "int8", SrFixtures.SHA256);
        assertEquals("noduled n?dule/net 1.0 - synthetic, not for clinical use",
                MeasurementReportBuilder.seriesDescription(accented));
    }

    @Test
    void writeTo_replacesAnEarlierFileWholesale() throws Exception {
        Path file = dir.resolve("series").resolve("sr.dcm");
        SrFixtures.report(10).writeTo(file);
        MeasurementReport smaller = SrFixtures.report(0);
        smaller.writeTo(file);
        assertEquals(smaller.sizeBytes(), Files.size(file));
        try (var names = Files.list(file.getParent())) {
            assertEquals(List.of("sr.dcm"), names.map(p -> p.getFileName().toString()).toList());
        }
    }

    private Path write(MeasurementReport report) throws Exception {
        Path file = dir.resolve(report.findingCount() + "-" + report.sopInstanceUid() + ".dcm");
        report.writeTo(file);
        return file;
    }

    private static AttributeList read(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        return list;
    }

    private ContentItem tree(MeasurementReport report) throws Exception {
        return (ContentItem) new StructuredReport(read(write(report))).getRoot();
    }

    private static String string(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag);
    }

    private static ContentItem child(ContentItem parent, SrCode concept) {
        ContentItem child = parent.getNamedChild(concept.scheme, concept.value);
        assertNotNull(child, "no child " + concept + " under " + parent.getConceptNameCodeMeaning());
        return child;
    }

    /** The value of a TEXT or UIDREF child, without the padding to even length DICOM adds. */
    private static String text(ContentItem parent, SrCode concept) {
        return child(parent, concept).getConceptValue().strip();
    }

    private static List<ContentItem> children(ContentItem parent, SrCode concept) {
        List<ContentItem> found = new ArrayList<>();
        for (int i = 0; i < parent.getChildCount(); i++) {
            ContentItem c = (ContentItem) parent.getChildAt(i);
            if (concept.matches(c.getConceptName())) {
                found.add(c);
            }
        }
        return found;
    }

    private static int indexOf(ContentItem parent, SrCode concept) {
        return parent.getIndex(child(parent, concept));
    }

    private static CodedSequenceItem code(ContentItem item) {
        return ((ContentItemFactory.CodeContentItem) item).getConceptCode();
    }

    private static ContentItemFactory.NumericContentItem numeric(ContentItem parent, SrCode concept) {
        return (ContentItemFactory.NumericContentItem) child(parent, concept);
    }
}

package org.noduled.dicom.sr;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.ContentItemFactory;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.noduled.detect.Finding;
import org.noduled.detect.ModelIdentity;
import org.noduled.detect.SeriesFindings;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.series.SourceInstance;
import org.noduled.dicom.series.SourceStudy;
import org.noduled.preprocess.ShortUid;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.VolumeGeometry;

/**
 * Builds the DICOM SR that carries one series' findings: a TID 1500 Measurement Report in a Comprehensive 3D
 * SR (Enhanced SR forbids SCOORD3D, which the 3D location needs).
 *
 * <pre>
 * CONTAINER Imaging Measurement Report (TID 1500)
 *   language en-US; observer type Device + UID, name, manufacturer, model name, serial number
 *   Procedure reported = CT Chest
 *   Image Library > Image Library Group > IMAGE (each source slice a finding is drawn on)
 *   Imaging Measurements                                  (only when something was found)
 *     Measurement Group (TID 1410), one per finding
 *       Tracking Identifier "nodule N", Tracking Unique Identifier
 *       Finding = Nodule (SCT 27925004); Algorithm Name, Version, Parameters (SHA-256, variant, training)
 *       Finding Site = Lung (SCT 39607008)
 *       SCOORD CIRCLE "Outline" on the nearest slice, SELECTED FROM IMAGE (SOP Class + Instance UID)
 *       SCOORD3D POINT "Image Region" in the source Frame of Reference (patient LPS, mm)
 *       NUM Long Axis (SCT 103339001) in mm; NUM Certainty of Finding (DCM 111012) in %
 *   Qualitative Evaluations
 *     CODE Nodule = Present | Absent, with the Algorithm Identification as its concept modifiers
 *     TEXT Finding "N lung nodule candidate(s) detected ..." or "No lung nodules detected ..."
 * </pre>
 *
 * <p>The 2D circle comes before the 3D point in each group on purpose: image-based viewers (OHIF) draw the
 * first SCOORD/SCOORD3D of a measurement group and do not draw a lone SCOORD3D point, while TID 1410 allows
 * one "Image Region", which stays the 3D point. The detector score (0..1) is written as Certainty of Finding
 * in percent, the unit the CAD SR templates use for that concept.
 *
 * <p>The SR's SOP Instance and Series Instance UIDs derive from (source series UID, model SHA-256), so a
 * reprocessed series replaces its earlier report at the receiver.
 */
public final class MeasurementReportBuilder {

    /** Comprehensive 3D SR Storage. */
    public static final String SOP_CLASS_UID = SOPClass.Comprehensive3DSRStorage;

    private static final String SOURCE_AE_TITLE = "NODULED";
    private static final int SERIES_DESCRIPTION_MAX = 64;
    private static final String NOT_FOR_CLINICAL_USE = " - synthetic, not for clinical use";
    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss.SSS", Locale.ROOT);

    private final ReportDevice device;
    private final int seriesNumber;
    private final Clock clock;

    /**
     * @param device       the observer device and equipment named in every report
     * @param seriesNumber Series Number of the SR series (the same for every report, so sites can hang it)
     * @param clock        source of Content Date/Time and Instance Creation Date/Time
     */
    public MeasurementReportBuilder(ReportDevice device, int seriesNumber, Clock clock) {
        this.device = Objects.requireNonNull(device, "device");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (seriesNumber < 0) {
            throw new IllegalArgumentException("series number must not be negative, got " + seriesNumber);
        }
        this.seriesNumber = seriesNumber;
    }

    /**
     * The report on {@code findings}, which must be about {@code source}'s series.
     *
     * @param sourceGeometry geometry of the source volume the findings' voxel indices refer to; its in-plane
     *                       spacing sizes the circle drawn on the nearest slice
     * @throws DicomException if the findings name another series or a slice the source does not have
     */
    public MeasurementReport build(SourceStudy source, SeriesFindings findings, VolumeGeometry sourceGeometry)
            throws DicomException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(findings, "findings");
        Objects.requireNonNull(sourceGeometry, "sourceGeometry");
        if (!findings.seriesInstanceUid().equals(source.seriesInstanceUid())) {
            throw new DicomException("findings are about series " + ShortUid.of(findings.seriesInstanceUid())
                    + " but the source study describes series " + ShortUid.of(source.seriesInstanceUid())
                    + "; no report was written (a pipeline bug: please report it)");
        }
        Map<String, SourceInstance> instancesByUid = new LinkedHashMap<>();
        for (SourceInstance instance : source.instances()) {
            instancesByUid.put(instance.sopInstanceUid(), instance);
        }
        for (Finding finding : findings.findings()) {
            if (!instancesByUid.containsKey(finding.nearestSliceUid())) {
                throw new DicomException("a finding in series " + ShortUid.of(source.seriesInstanceUid())
                        + " refers to slice " + ShortUid.of(finding.nearestSliceUid())
                        + ", which is not among the series' " + instancesByUid.size()
                        + " instances; no report was written (a pipeline bug: please report it)");
            }
        }
        String sha256 = findings.model().sha256();
        String sopInstanceUid = SrUid.srInstance(source.seriesInstanceUid(), sha256);
        String seriesUid = SrUid.srSeries(source.seriesInstanceUid(), sha256);
        try {
            AttributeList list = new AttributeList();
            ZonedDateTime now = ZonedDateTime.now(clock);
            putHeader(list, source, findings.model(), sopInstanceUid, seriesUid, now);
            ContentItem root = contentTree(findings, sourceGeometry, instancesByUid, sopInstanceUid);
            list.putAll(new StructuredReport(root).getAttributeList());
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian,
                    SOURCE_AE_TITLE);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(16_384);
            list.write(bytes, TransferSyntax.ExplicitVRLittleEndian, true, true);
            return new MeasurementReport(sopInstanceUid, seriesUid, source.seriesInstanceUid(),
                    findings.findings().size(), bytes.toByteArray());
        } catch (com.pixelmed.dicom.DicomException | IOException e) {
            throw new DicomException("could not encode the SR for series "
                    + ShortUid.of(source.seriesInstanceUid()) + ": " + e.getMessage()
                    + " (a bug in the report writer: please report it with this message)", e);
        }
    }

    private void putHeader(AttributeList list, SourceStudy source, ModelIdentity model, String sopInstanceUid,
            String seriesUid, ZonedDateTime now) throws com.pixelmed.dicom.DicomException {
        // Patient and General Study modules as the source has them (with its character set, which their
        // encoded values need); our own values are made printable ASCII, valid in any character set.
        list.putAll(source.patientAndStudy());
        putIfAbsent(list, TagFromName.PatientName, TagFromName.PatientID, TagFromName.PatientBirthDate,
                TagFromName.PatientSex, TagFromName.StudyDate, TagFromName.StudyTime,
                TagFromName.ReferringPhysicianName, TagFromName.StudyID, TagFromName.AccessionNumber);
        put(list, TagFromName.StudyInstanceUID, source.studyInstanceUid());

        String date = DA.format(now);
        String time = TM.format(now);
        put(list, TagFromName.SOPClassUID, SOP_CLASS_UID);
        put(list, TagFromName.SOPInstanceUID, sopInstanceUid);
        put(list, TagFromName.InstanceCreationDate, date);
        put(list, TagFromName.InstanceCreationTime, time);

        // SR Document Series
        put(list, TagFromName.Modality, "SR");
        put(list, TagFromName.SeriesInstanceUID, seriesUid);
        put(list, TagFromName.SeriesNumber, Integer.toString(seriesNumber));
        put(list, TagFromName.SeriesDate, date);
        put(list, TagFromName.SeriesTime, time);
        put(list, TagFromName.SeriesDescription, seriesDescription(model));
        list.put(new SequenceAttribute(TagFromName.ReferencedPerformedProcedureStepSequence));

        // General and Enhanced General Equipment
        put(list, TagFromName.Manufacturer, device.manufacturer());
        put(list, TagFromName.ManufacturerModelName, device.modelName());
        put(list, TagFromName.DeviceSerialNumber, device.serialNumber());
        put(list, TagFromName.SoftwareVersions, device.softwareVersion());

        // SR Document General
        put(list, TagFromName.InstanceNumber, "1");
        put(list, TagFromName.CompletionFlag, "COMPLETE");
        put(list, TagFromName.VerificationFlag, "UNVERIFIED");
        put(list, TagFromName.ContentDate, date);
        put(list, TagFromName.ContentTime, time);
        CodedSequenceItem.putSingleCodedSequenceAttribute(list, TagFromName.PerformedProcedureCodeSequence,
                SrCode.CT_CHEST.item());
        list.put(evidence(source));
    }

    /** Current Requested Procedure Evidence: every source instance, by study and series. */
    private static SequenceAttribute evidence(SourceStudy source) throws com.pixelmed.dicom.DicomException {
        SequenceAttribute sops = new SequenceAttribute(TagFromName.ReferencedSOPSequence);
        for (SourceInstance instance : source.instances()) {
            AttributeList sop = new AttributeList();
            put(sop, TagFromName.ReferencedSOPClassUID, instance.sopClassUid());
            put(sop, TagFromName.ReferencedSOPInstanceUID, instance.sopInstanceUid());
            sops.addItem(sop);
        }
        AttributeList series = new AttributeList();
        put(series, TagFromName.SeriesInstanceUID, source.seriesInstanceUid());
        series.put(sops);
        SequenceAttribute seriesSequence = new SequenceAttribute(TagFromName.ReferencedSeriesSequence);
        seriesSequence.addItem(series);
        AttributeList study = new AttributeList();
        put(study, TagFromName.StudyInstanceUID, source.studyInstanceUid());
        study.put(seriesSequence);
        SequenceAttribute evidence = new SequenceAttribute(TagFromName.CurrentRequestedProcedureEvidenceSequence);
        evidence.addItem(study);
        return evidence;
    }

    private ContentItem contentTree(SeriesFindings findings, VolumeGeometry geometry,
            Map<String, SourceInstance> instancesByUid, String sopInstanceUid)
            throws com.pixelmed.dicom.DicomException {
        ContentItemFactory f = new ContentItemFactory();
        ContentItem root = f.makeContainerContentItem(null, null, SrCode.IMAGING_MEASUREMENT_REPORT.item(), true,
                "DCMR", "1500");
        f.makeCodeContentItem(root, "HAS CONCEPT MOD", SrCode.LANGUAGE_OF_CONTENT.item(),
                SrCode.ENGLISH_US.item());
        f.makeCodeContentItem(root, "HAS OBS CONTEXT", SrCode.OBSERVER_TYPE.item(), SrCode.DEVICE.item());
        f.makeUIDContentItem(root, "HAS OBS CONTEXT", SrCode.DEVICE_OBSERVER_UID.item(), device.observerUid());
        f.makeTextContentItem(root, "HAS OBS CONTEXT", SrCode.DEVICE_OBSERVER_NAME.item(), device.name());
        f.makeTextContentItem(root, "HAS OBS CONTEXT", SrCode.DEVICE_OBSERVER_MANUFACTURER.item(),
                device.manufacturer());
        f.makeTextContentItem(root, "HAS OBS CONTEXT", SrCode.DEVICE_OBSERVER_MODEL_NAME.item(), device.modelName());
        f.makeTextContentItem(root, "HAS OBS CONTEXT", SrCode.DEVICE_OBSERVER_SERIAL_NUMBER.item(),
                device.serialNumber());
        f.makeCodeContentItem(root, "HAS CONCEPT MOD", SrCode.PROCEDURE_REPORTED.item(), SrCode.CT_CHEST.item());

        List<Finding> all = findings.findings();
        if (!all.isEmpty()) {
            ContentItem library = f.makeContainerContentItem(root, "CONTAINS", SrCode.IMAGE_LIBRARY.item());
            ContentItem group = f.makeContainerContentItem(library, "CONTAINS", SrCode.IMAGE_LIBRARY_GROUP.item());
            for (String uid : all.stream().map(Finding::nearestSliceUid).distinct().toList()) {
                image(f, group, "CONTAINS", instancesByUid.get(uid));
            }

            ContentItem measurements = f.makeContainerContentItem(root, "CONTAINS",
                    SrCode.IMAGING_MEASUREMENTS.item());
            for (int n = 0; n < all.size(); n++) {
                measurementGroup(f, measurements, all.get(n), n, findings, geometry, instancesByUid,
                        SrUid.tracking(sopInstanceUid, n));
            }
        }
        ContentItem evaluations = f.makeContainerContentItem(root, "CONTAINS",
                SrCode.QUALITATIVE_EVALUATIONS.item());
        ContentItem verdict = f.makeCodeContentItem(evaluations, "CONTAINS", SrCode.NODULE.item(),
                all.isEmpty() ? SrCode.ABSENT.item() : SrCode.PRESENT.item());
        algorithm(f, verdict, findings.model());
        f.makeTextContentItem(evaluations, "CONTAINS", SrCode.FINDING.item(), summary(all.size(), findings.model()));
        return root;
    }

    /** TID 4019 Algorithm Identification: name, version, and the model's SHA-256 among the parameters. */
    private static void algorithm(ContentItemFactory f, ContentItem parent, ModelIdentity model)
            throws com.pixelmed.dicom.DicomException {
        f.makeTextContentItem(parent, "HAS CONCEPT MOD", SrCode.ALGORITHM_NAME.item(), printable(model.name()));
        f.makeTextContentItem(parent, "HAS CONCEPT MOD", SrCode.ALGORITHM_VERSION.item(),
                printable(model.version()));
        f.makeTextContentItem(parent, "HAS CONCEPT MOD", SrCode.ALGORITHM_PARAMETERS.item(),
                "model_sha256=" + model.sha256());
        f.makeTextContentItem(parent, "HAS CONCEPT MOD", SrCode.ALGORITHM_PARAMETERS.item(),
                "variant=" + printable(model.variant()));
        f.makeTextContentItem(parent, "HAS CONCEPT MOD", SrCode.ALGORITHM_PARAMETERS.item(),
                "trained_on=synthetic phantoms; not for clinical use");
    }

    private static void measurementGroup(ContentItemFactory f, ContentItem parent, Finding finding, int index,
            SeriesFindings findings, VolumeGeometry geometry, Map<String, SourceInstance> instancesByUid,
            String trackingUid) throws com.pixelmed.dicom.DicomException {
        ContentItem group = f.makeContainerContentItem(parent, "CONTAINS", SrCode.MEASUREMENT_GROUP.item(), true,
                "DCMR", "1410");
        f.makeTextContentItem(group, "HAS OBS CONTEXT", SrCode.TRACKING_IDENTIFIER.item(), "nodule " + (index + 1));
        f.makeUIDContentItem(group, "HAS OBS CONTEXT", SrCode.TRACKING_UID.item(), trackingUid);
        f.makeCodeContentItem(group, "CONTAINS", SrCode.FINDING.item(), SrCode.NODULE.item());
        algorithm(f, group, findings.model());
        f.makeCodeContentItem(group, "HAS CONCEPT MOD", SrCode.FINDING_SITE.item(), SrCode.LUNG.item());

        // SCOORD image-relative coordinates put the centre of pixel (i, j) at (i + 0.5, j + 0.5).
        Vec3 voxel = finding.centerVoxel();
        float column = (float) (voxel.x() + 0.5);
        float row = (float) (voxel.y() + 0.5);
        float radiusPixels = (float) (finding.diameterMm() / 2 / geometry.spacingMm().x());
        ContentItem outline = f.makeSpatialCoordinatesContentItem(group, "CONTAINS", SrCode.OUTLINE.item(),
                "CIRCLE", new float[] {column, row, column + radiusPixels, row});
        image(f, outline, "SELECTED FROM", instancesByUid.get(finding.nearestSliceUid()));

        Vec3 centerMm = finding.centerMm();
        f.makeSpatialCoordinates3DContentItem(group, "CONTAINS", SrCode.IMAGE_REGION.item(), "POINT",
                new float[] {(float) centerMm.x(), (float) centerMm.y(), (float) centerMm.z()},
                findings.frameOfReferenceUid());

        f.makeNumericContentItem(group, "CONTAINS", SrCode.LONG_AXIS.item(), decimal(finding.diameterMm(), 2),
                SrCode.MILLIMETER.item());
        f.makeNumericContentItem(group, "CONTAINS", SrCode.CERTAINTY_OF_FINDING.item(),
                decimal(finding.score() * 100, 1), SrCode.PERCENT.item());
    }

    private static void image(ContentItemFactory f, ContentItem parent, String relationship,
            SourceInstance instance) throws com.pixelmed.dicom.DicomException {
        f.makeImageContentItem(parent, relationship, null, instance.sopClassUid(), instance.sopInstanceUid(), 0, 0,
                null, null, null, null);
    }

    private static String summary(int count, ModelIdentity model) {
        String what = count == 0 ? "No lung nodules detected"
                : count + " lung nodule candidate" + (count == 1 ? "" : "s") + " detected";
        return what + " by " + printable(model.name() + " " + model.version())
                + " (model trained on synthetic phantoms, not for clinical use)";
    }

    /** e.g. "noduled nodule-2p5d 1.2.0 - synthetic, not for clinical use", cut to fit LO (64 characters). */
    static String seriesDescription(ModelIdentity model) {
        // Our own models are already named noduled-*: say "noduled" once, so the version is not cut off.
        String maker = model.name().startsWith("noduled") ? "" : "noduled ";
        String what = printable(maker + model.name() + " " + model.version()).replace('\\', '/');
        int room = SERIES_DESCRIPTION_MAX - NOT_FOR_CLINICAL_USE.length();
        if (what.length() > room) {
            what = what.substring(0, room);
        }
        return what + NOT_FOR_CLINICAL_USE;
    }

    /** Model-supplied text as printable ASCII ('?' for anything else), valid whatever the character set. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }

    /** A DS value: fixed decimals, never exponent notation, well under DS's 16 characters. */
    private static String decimal(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static void put(AttributeList list, AttributeTag tag, String value)
            throws com.pixelmed.dicom.DicomException {
        Attribute a = AttributeFactory.newAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    /** Type 2 attributes: present, empty when the source had no value. */
    private static void putIfAbsent(AttributeList list, AttributeTag... tags) throws com.pixelmed.dicom.DicomException {
        for (AttributeTag tag : tags) {
            if (list.get(tag) == null) {
                list.put(AttributeFactory.newAttribute(tag));
            }
        }
    }
}

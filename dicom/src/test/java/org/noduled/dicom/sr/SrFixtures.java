package org.noduled.dicom.sr;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.noduled.detect.Finding;
import org.noduled.detect.ModelIdentity;
import org.noduled.detect.SeriesFindings;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.series.SourceInstance;
import org.noduled.dicom.series.SourceStudy;
import org.noduled.dicom.series.TestStudies;
import org.noduled.preprocess.Vec3;
import org.noduled.preprocess.VolumeGeometry;

/** A small synthetic CT series and findings on it, for building reports in tests. */
public final class SrFixtures {

    public static final String STUDY_UID = "1.2.826.0.1.3680043.10.1234.1";
    public static final String SERIES_UID = "1.2.826.0.1.3680043.10.1234.1.2";
    public static final String FRAME_OF_REFERENCE_UID = "1.2.826.0.1.3680043.10.1234.1.3";
    public static final String SHA256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    public static final ModelIdentity MODEL = new ModelIdentity("nodule-2p5d", "1.0.0", "int8", SHA256);
    public static final int SLICES = 40;
    /** 0.7 mm pixels, 1.25 mm slices, 512 x 512, axial. */
    public static final VolumeGeometry GEOMETRY = VolumeGeometry.axial(512, 512, SLICES,
            new Vec3(-180, -180, -300), new Vec3(0.7, 0.7, 1.25));
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-06T07:08:09.123Z"), ZoneOffset.UTC);
    public static final ReportDevice DEVICE = ReportDevice.noduled("edge-node-1", "0.1.0");

    private SrFixtures() {
    }

    public static SourceStudy source() {
        return source(SERIES_UID);
    }

    public static SourceStudy source(String seriesUid) {
        AttributeList list = new AttributeList();
        put(list, TagFromName.PatientName, "Phantom^Synthetic");
        put(list, TagFromName.PatientID, "PHANTOM-0001");
        put(list, TagFromName.PatientBirthDate, "19700101");
        put(list, TagFromName.PatientSex, "O");
        put(list, TagFromName.StudyInstanceUID, STUDY_UID);
        put(list, TagFromName.StudyDate, "20240506");
        put(list, TagFromName.StudyTime, "070000");
        put(list, TagFromName.ReferringPhysicianName, "");
        put(list, TagFromName.StudyID, "S1");
        put(list, TagFromName.AccessionNumber, "ACC0001");
        put(list, TagFromName.StudyDescription, "CT chest phantom");
        return TestStudies.of(list, STUDY_UID, seriesUid, instances(seriesUid));
    }

    public static List<SourceInstance> instances(String seriesUid) {
        List<SourceInstance> instances = new ArrayList<>();
        for (int k = 0; k < SLICES; k++) {
            instances.add(new SourceInstance(SOPClass.CTImageStorage, sliceUid(seriesUid, k)));
        }
        return instances;
    }

    public static String sliceUid(String seriesUid, int k) {
        return seriesUid + ".100." + (k + 1);
    }

    /** {@code count} findings spread over the volume, voxel and patient coordinates consistent. */
    public static SeriesFindings findings(int count) {
        return findings(SERIES_UID, count);
    }

    public static SeriesFindings findings(String seriesUid, int count) {
        List<Finding> findings = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            Vec3 voxel = new Vec3(100 + 30 * n + 0.25, 200 + 11 * n + 0.5, 3 + 3 * n + 0.4);
            Vec3 mm = GEOMETRY.toPatient(voxel.x(), voxel.y(), voxel.z());
            int k = (int) Math.round(voxel.z());
            findings.add(new Finding(mm, voxel, 4.5 + n, 0.95 - 0.05 * n, sliceUid(seriesUid, k)));
        }
        return new SeriesFindings(seriesUid, FRAME_OF_REFERENCE_UID, MODEL, findings);
    }

    public static MeasurementReport report(int findingCount) {
        return build(source(), findings(findingCount));
    }

    /** The report on series number {@code n} of the study (a distinct SR per n), with one finding. */
    public static MeasurementReport reportOnSeries(int n) {
        String seriesUid = SERIES_UID + "." + n;
        return build(source(seriesUid), findings(seriesUid, 1));
    }

    private static MeasurementReport build(SourceStudy source, SeriesFindings findings) {
        try {
            return new MeasurementReportBuilder(DEVICE, 7001, CLOCK).build(source, findings, GEOMETRY);
        } catch (DicomException e) {
            throw new IllegalStateException("the fixture's report cannot be built", e);
        }
    }

    private static void put(AttributeList list, AttributeTag tag, String value) {
        try {
            Attribute a = AttributeFactory.newAttribute(tag);
            if (!value.isEmpty()) {
                a.addValue(value);
            }
            list.put(a);
        } catch (com.pixelmed.dicom.DicomException e) {
            throw new IllegalStateException(e);
        }
    }
}

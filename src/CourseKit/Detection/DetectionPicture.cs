using CourseKit.Display;

namespace CourseKit.Detection;

/// <summary>Pictures of detections: boxes coloured by class over their image.</summary>
public static class DetectionPicture
{
    /// <summary>
    /// The image with the ground-truth boxes (white, if given) and the detections (coloured by class,
    /// <see cref="BoxOverlay.ClassColor"/>), enlarged <paramref name="scale"/> times.
    /// </summary>
    public static Image Draw(Tensor image, IEnumerable<DetectedObject> detections, IEnumerable<DetectedObject>? truths = null, int scale = 4) =>
        BoxOverlay.Create(image,
            [.. (truths ?? []).Select(t => ToRectangle(t.Box, new Rgb(255, 255, 255))),
             .. detections.Select(d => ToRectangle(d.Box, BoxOverlay.ClassColor(d.Class)))],
            scale, thickness: scale >= 3 ? 2 : 1, range: ValueRange.ZeroToOne);

    /// <summary>The boxes alone, in one colour (e.g. anchors).</summary>
    public static Image Draw(Tensor image, IEnumerable<Box> boxes, Rgb color, int scale = 4) =>
        BoxOverlay.Create(image, boxes.Select(b => ToRectangle(b, color)), scale, range: ValueRange.ZeroToOne);

    private static Rectangle ToRectangle(Box b, Rgb color) => new(b.X1, b.Y1, b.X2, b.Y2, color);
}

namespace CourseKit.Detection;

/// <summary>
/// A candidate region of Faster R-CNN (lecture 6.1): a box in image pixels on image <see cref="Image"/> of the batch.
/// RoI pooling and RoI align cut it out of the feature map of that image.
/// </summary>
public readonly record struct RegionOfInterest(int Image, Box Box);

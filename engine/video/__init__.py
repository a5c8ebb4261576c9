"""Video with temporal consistency (Ruder, Dosovitskiy & Brox 2016, "Artistic
style transfer for videos"; METHOD.md has the image methods it builds on).

- flow.py: optical flow (OpenCV DIS or Farneback), warping, and the paper's
  forward-backward check that marks disocclusions and motion boundaries;
- frames.py: frames in (a video through PyAV, or a folder of numbered
  images) and an encoded video out;
- cache.py: the finished frames beside the output, so a render resumes;
- sequence.py: the frame loop (the temporal loss itself is
  engine/losses/temporal.py).
"""

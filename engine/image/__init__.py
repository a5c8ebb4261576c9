"""Images in and out: reading (colour management, EXIF orientation, pixel
limits), writing (8 and 16 bits, PNG/TIFF/JPEG, atomically), numpy <-> torch,
and the image operations of the methods: colour control by luminance-only
transfer and colour histogram matching (Gatys et al. 2017, METHOD.md
section 2 "Colour control") and the guided filter of the photoreal
refinement (He et al., used after Luan et al. 2017, section 4).
"""

"""The frozen feature network and its weights.

VGG-19 (VGG-16 too) with average pooling and the input normalisation inside
the module (Gatys et al. 2016, METHOD.md section 1; the network choice of
Nikulin & Novak, section 3), the weight files it reads and checks
(normalised, torchvision, Caffe-converted), the AdaIN encoder/decoder of the
instant start (Huang & Belongie 2017), the device and precision choice and
the optional torch.compile of the loss.
"""

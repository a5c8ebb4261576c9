"""The losses, and the objective that combines them.

- terms.py: content loss, Gram matrix and style loss, total variation and the
  soft range (Gatys et al. 2016, METHOD.md section 1: L_content, G^l, E_l,
  L_total = alpha L_content + beta L_style);
- masks.py, guided.py: guidance masks, guided Gram matrices and guided sums
  (Gatys et al. 2017, section 2 "Spatial control"; Luan et al.'s augmented
  style loss, section 4);
- localised.py: the localised style loss (Nikulin & Novak 2016, section 3);
- matting.py: the matting-Laplacian photorealism term L_m (Luan et al. 2017, section 4);
- objective.py: the loss of one pass, built once and then frozen.
"""

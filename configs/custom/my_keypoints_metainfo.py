# Example metainfo of a custom keypoint set (here 5 of COCO's 17 points),
# in MMPose's dataset_info format: the names, the left/right swaps for flip
# augmentation (`swap`), the skeleton to draw, the loss weight per keypoint
# and the OKS sigmas CocoMetric uses (these are COCO's for the same points;
# for new points, 0.025-0.1, larger for points that are harder to place).
dataset_info = dict(
    dataset_name='my_keypoints',
    paper_info=dict(author='', title='', year=''),
    keypoint_info={
        0: dict(name='nose', id=0, color=[51, 153, 255], type='upper',
                swap=''),
        1: dict(name='left_shoulder', id=1, color=[0, 255, 0], type='upper',
                swap='right_shoulder'),
        2: dict(name='right_shoulder', id=2, color=[255, 128, 0],
                type='upper', swap='left_shoulder'),
        3: dict(name='left_hip', id=3, color=[0, 255, 0], type='lower',
                swap='right_hip'),
        4: dict(name='right_hip', id=4, color=[255, 128, 0], type='lower',
                swap='left_hip'),
    },
    skeleton_info={
        0: dict(link=('left_shoulder', 'right_shoulder'), id=0,
                color=[51, 153, 255]),
        1: dict(link=('left_shoulder', 'left_hip'), id=1, color=[0, 255, 0]),
        2: dict(link=('right_shoulder', 'right_hip'), id=2,
                color=[255, 128, 0]),
        3: dict(link=('left_hip', 'right_hip'), id=3, color=[51, 153, 255]),
    },
    joint_weights=[1., 1., 1., 1., 1.],
    sigmas=[0.026, 0.079, 0.079, 0.107, 0.107])

-- 广东智造职业技术学院 教务管理系统 数据导出（SQLite dump）
-- 导出范围：智能制造学院 2024级人才培养方案（工业机器人技术、机电一体化技术、数控技术）
-- 导出时间：2026-09-15 10:42:07
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE colleges (
  college_code TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT,
  city TEXT,
  province TEXT,
  url TEXT
);
INSERT INTO colleges VALUES('GDIMP','广东智造职业技术学院','Guangdong Intelligent Manufacturing Polytechnic','佛山市','广东省','https://www.gdimp.example');
CREATE TABLE programs (
  program_code TEXT PRIMARY KEY,
  college_code TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  name_en TEXT,
  degree_level TEXT,
  duration_years INTEGER,
  target_csco_code TEXT,
  description_zh TEXT
);
INSERT INTO programs VALUES('460305','GDIMP','工业机器人技术','Industrial Robotics Technology','高职专科',3,'6-31-07-03','本专业面向佛山及珠三角工业机器人制造与系统集成企业，培养掌握工业机器人操作编程、工作站集成调试与运行维护技能，能从事工业机器人系统操作、运维及工作站安装调试等工作的高素质技术技能人才。');
INSERT INTO programs VALUES('460301','GDIMP','机电一体化技术','Mechatronics Technology','高职专科',3,'6-31-01-10','本专业面向智能装备制造和自动化生产企业，培养掌握机械、电气、气动与PLC控制综合应用技能，能从事自动化生产线安装调试、机电设备维修与技术改造等工作的高素质技术技能人才。');
INSERT INTO programs VALUES('460103','GDIMP','数控技术','CNC Technology','高职专科',3,'6-18-01-07','本专业面向机床制造和精密零部件加工企业，培养掌握数控编程、数控机床操作与调整、CAD/CAM应用和质量检测技能，能从事数控加工、工艺编制与数控设备维护等工作的高素质技术技能人才。');
CREATE TABLE courses (
  course_code TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT,
  credits REAL,
  hours INTEGER,
  semester INTEGER,
  course_type TEXT,
  description_zh TEXT
);
INSERT INTO courses VALUES('GR1001','劳动教育与职业素养','Labour Education and Professional Literacy',2.0,32,1,'公共基础课','结合实训车间劳动实践开展劳动教育，培养学生的安全意识、6S现场管理习惯、团队协作与职业沟通能力。');
INSERT INTO courses VALUES('GR2001','机械制图与CAD','Mechanical Drawing and CAD',4.0,64,1,'专业基础课','学习投影原理、国家标准制图规范、零件图与装配图的识读和绘制，并使用AutoCAD完成二维工程图绘制。');
INSERT INTO courses VALUES('GR2002','电工电子技术','Electrical and Electronic Technology',4.0,64,1,'专业基础课','学习直流与交流电路分析、三相电路、变压器与电动机基础、常用电子元器件及数字电路，强调安全用电规范。');
INSERT INTO courses VALUES('GR2003','机械设计基础','Fundamentals of Machine Design',3.5,56,2,'专业基础课','学习常用机构、螺纹连接、带传动、齿轮传动、轴与轴承等通用零部件的工作原理和设计计算方法。');
INSERT INTO courses VALUES('GR2004','公差配合与技术测量','Tolerances, Fits and Technical Measurement',2.0,32,2,'专业基础课','学习极限与配合、几何公差、表面粗糙度国家标准，以及常用量具的使用与测量误差分析。');
INSERT INTO courses VALUES('GR2005','液压与气动技术','Hydraulic and Pneumatic Technology',3.0,48,3,'专业基础课','学习液压与气动元件的结构原理、基本回路分析，在气动实训台上完成典型回路的搭建与调试。');
INSERT INTO courses VALUES('GR2006','电气控制技术','Electrical Control Technology',3.0,48,2,'专业基础课','学习常用低压电器、三相异步电动机典型控制线路，完成控制线路的安装、接线与通电调试。');
INSERT INTO courses VALUES('GR2007','传感器与检测技术','Sensors and Detection Technology',3.0,48,3,'专业基础课','学习光电、电感、电容、磁性开关及温度、压力、位移传感器的原理与应用，简要介绍工业相机和视觉传感器。');
INSERT INTO courses VALUES('GR2008','三维建模与工程图','3D Modelling and Engineering Drawings',3.0,48,2,'专业基础课','使用SolidWorks完成零件建模、装配建模、运动仿真和工程图生成。');
INSERT INTO courses VALUES('GR2009','机械制造基础','Fundamentals of Mechanical Manufacturing',3.0,48,2,'专业基础课','学习金属材料与热处理、切削原理、刀具材料与几何角度、典型加工方法与工艺基础。');
INSERT INTO courses VALUES('GR2010','工业机器人技术基础','Fundamentals of Industrial Robotics',3.0,48,2,'专业基础课','学习工业机器人的组成、分类、技术参数、坐标系与运动学基础，认识主流品牌机器人及其安全操作规范。');
INSERT INTO courses VALUES('GR3001','工业机器人现场编程','Industrial Robot On-site Programming',4.0,64,3,'专业核心课','以ABB、埃斯顿等主流机器人为载体，学习示教器操作、坐标系标定、运动指令与I/O指令编程，完成搬运、轨迹、装配等典型任务。');
INSERT INTO courses VALUES('GR3002','工业机器人离线编程与仿真','Industrial Robot Offline Programming and Simulation',3.0,48,4,'专业核心课','使用RobotStudio等离线编程软件搭建虚拟工作站，完成轨迹自动生成、节拍分析、碰撞检测并下载到真实机器人验证。');
INSERT INTO courses VALUES('GR3003','PLC应用技术 ','PLC Application Technology',4.0,64,3,'专业核心课','以西门子S7-1200为载体，学习PLC硬件组态、梯形图编程、定时计数与顺序控制，以及触摸屏画面组态和Modbus通信基础。');
INSERT INTO courses VALUES('GR3004','工业机器人工作站系统集成','Industrial Robot Workstation System Integration',4.0,64,4,'专业核心课','以码垛、上下料工作站为项目载体，学习工作站布局、末端执行器选型、机器人与PLC通信、视觉定位入门和安全防护设计。');
INSERT INTO courses VALUES('GR3005','工业机器人系统运维','Industrial Robot System Operation and Maintenance',3.0,48,4,'专业核心课','学习工业机器人日常点检、定期保养、减速器与电池更换、零点校准和常见报警的诊断处理。');
INSERT INTO courses VALUES('GR3006','运动控制技术','Motion Control Technology',3.0,48,4,'专业核心课','学习步进与伺服系统组成、伺服驱动器参数设置、PLC脉冲与通信方式的位置控制，以及编码器等反馈元件的应用。');
INSERT INTO courses VALUES('GR3007','自动化生产线安装与调试','Automated Production Line Installation and Commissioning',4.0,64,4,'专业核心课','以模块化自动化生产线为载体，完成供料、加工、装配、分拣单元的机械安装、气路连接、电气接线、PLC编程与网络联调。');
INSERT INTO courses VALUES('GR3008','机电设备故障诊断与维修','Fault Diagnosis and Repair of Mechatronic Equipment',3.0,48,5,'专业核心课','学习机电设备故障诊断的一般方法，结合数控机床、自动化设备案例开展电气、机械与气动故障的诊断和维修，编写维修记录。');
INSERT INTO courses VALUES('GR3009','变频器与伺服驱动技术','VFD and Servo Drive Technology',3.0,48,3,'专业核心课','学习变频器的工作原理、参数设置、多段速与通信控制，以及交流伺服系统的基本调试方法。');
INSERT INTO courses VALUES('GR3010','PLC高级编程与触摸屏组态','Advanced PLC Programming and HMI Configuration',3.0,48,4,'专业核心课','学习SCL结构化文本编程、功能块封装、配方与报警管理、PROFIBUS与以太网S7通信，以及WinCC触摸屏组态。');
INSERT INTO courses VALUES('GR3011','机电设备装配与调试','Mechatronic Equipment Assembly and Adjustment',3.0,48,3,'专业核心课','以机械传动装置和自动化设备为载体，学习装配工艺、精度检测与调整、安全防护装置安装。');
INSERT INTO courses VALUES('GR3012','数控车削编程与加工','CNC Turning Programming and Machining',4.0,64,3,'专业核心课','以FANUC 0i-TF系统为载体，学习数控车床对刀、G代码编程、循环指令和轴套类零件的加工与检测。');
INSERT INTO courses VALUES('GR3013','数控铣削与加工中心编程','CNC Milling and Machining Centre Programming',4.0,64,4,'专业核心课','学习数控铣床和立式加工中心的编程与操作，完成平面、轮廓、型腔、孔系零件的加工。');
INSERT INTO courses VALUES('GR3014','CAD/CAM软件应用','CAD/CAM Software Application',3.0,48,5,'专业核心课','使用NX或Mastercam完成零件三维造型、刀路规划、加工仿真和后处理。');
INSERT INTO courses VALUES('GR3015','机械加工工艺与夹具设计','Machining Process Planning and Fixture Design',3.0,48,4,'专业核心课','学习零件工艺分析、定位基准选择、工艺路线拟定和专用夹具设计。');
INSERT INTO courses VALUES('GR3016','数控机床装调与维修','Installation, Commissioning and Maintenance of CNC Machine Tools',3.0,48,5,'专业核心课','学习数控机床机械结构、几何精度检测、进给伺服系统和数控系统常见故障的诊断与维修。');
INSERT INTO courses VALUES('GR3017','产品质量检测与控制','Product Quality Inspection and Control',2.5,40,4,'专业核心课','学习检验规范、三坐标测量、统计过程控制方法和质量改进工具。');
INSERT INTO courses VALUES('GR4001','焊接机器人编程与应用','Welding Robot Programming and Application',2.0,32,5,'专业拓展课','介绍弧焊机器人系统组成、焊接参数与焊枪姿态，完成简单平板对接焊缝的示教编程。');
INSERT INTO courses VALUES('GR4002','智能检测与机器视觉','Intelligent Inspection and Machine Vision',2.0,32,5,'专业拓展课','学习工业相机与光源选型、视觉软件常用工具，完成尺寸测量与缺陷检测项目。');
INSERT INTO courses VALUES('GR4003','多轴加工技术','Multi-axis Machining Technology',2.0,32,5,'专业拓展课','学习四轴、五轴机床结构与编程方法，使用CAM软件完成叶轮等典型零件的多轴加工。');
INSERT INTO courses VALUES('GR5001','钳工实训','Bench Work Practice',2.0,52,1,'实践课','集中两周在钳工实训室完成划线、锯削、锉削、钻孔、攻丝和简单部件装配。');
INSERT INTO courses VALUES('GR5002','工业机器人综合实训','Industrial Robot Comprehensive Practice',4.0,104,5,'实践课','以企业真实项目为载体，分组完成机器人工作站的安装、编程、联调、故障排除和验收，对接1+X工业机器人操作与运维证书考核。');
INSERT INTO courses VALUES('GR5003','数控加工综合实训','CNC Machining Comprehensive Practice',4.0,104,5,'实践课','集中四周完成组合件的工艺编制、数控车铣加工、装配与检测，对接车工、铣工职业技能等级认定。');
INSERT INTO courses VALUES('GR5004','机电一体化综合实训','Mechatronics Comprehensive Practice',4.0,104,5,'实践课','以智能制造单元为载体，综合应用机械、气动、电气、PLC与MES知识，完成设备联调、数据采集与故障维修。');
INSERT INTO courses VALUES('GR5005','岗位实习','Post Internship',20.0,520,6,'实践课','在共同体成员企业相关岗位进行为期半年的岗位实习，在企业导师指导下完成真实生产任务并撰写实习报告。');
CREATE TABLE program_courses (
  program_code TEXT NOT NULL,
  course_code TEXT NOT NULL,
  is_required INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (program_code, course_code)
);
INSERT INTO program_courses VALUES('460305','GR1001',1);
INSERT INTO program_courses VALUES('460305','GR2001',1);
INSERT INTO program_courses VALUES('460305','GR2002',1);
INSERT INTO program_courses VALUES('460305','GR2005',1);
INSERT INTO program_courses VALUES('460305','GR2006',1);
INSERT INTO program_courses VALUES('460305','GR2007',1);
INSERT INTO program_courses VALUES('460305','GR2010',1);
INSERT INTO program_courses VALUES('460305','GR3001',1);
INSERT INTO program_courses VALUES('460305','GR3002',1);
INSERT INTO program_courses VALUES('460305','GR3003',1);
INSERT INTO program_courses VALUES('460305','gr3004',1);
INSERT INTO program_courses VALUES('460305','GR3005',1);
INSERT INTO program_courses VALUES('460305','GR3006',1);
INSERT INTO program_courses VALUES('460305','GR4001',0);
INSERT INTO program_courses VALUES('460305','GR5002',1);
INSERT INTO program_courses VALUES('460305','GR5005',1);
INSERT INTO program_courses VALUES('460301','GR1001',1);
INSERT INTO program_courses VALUES('460301','GR2001',1);
INSERT INTO program_courses VALUES('460301','GR2002',1);
INSERT INTO program_courses VALUES('460301','GR2003',1);
INSERT INTO program_courses VALUES('460301','GR2005',1);
INSERT INTO program_courses VALUES('460301','GR2006',1);
INSERT INTO program_courses VALUES('460301','GR2007',1);
INSERT INTO program_courses VALUES('460301','GR3003',1);
INSERT INTO program_courses VALUES('460301','GR3007',1);
INSERT INTO program_courses VALUES('460301','GR3008',1);
INSERT INTO program_courses VALUES('460301','GR3009',1);
INSERT INTO program_courses VALUES('460301','GR3010',1);
INSERT INTO program_courses VALUES('460301','GR3011',1);
INSERT INTO program_courses VALUES('460301','GR4002',0);
INSERT INTO program_courses VALUES('460301','GR5004',1);
INSERT INTO program_courses VALUES('460301','GR5005',1);
INSERT INTO program_courses VALUES('460103','GR1001',1);
INSERT INTO program_courses VALUES('460103','GR2001',1);
INSERT INTO program_courses VALUES('460103','GR2003',1);
INSERT INTO program_courses VALUES('460103','GR2004',1);
INSERT INTO program_courses VALUES('460103','GR2008',1);
INSERT INTO program_courses VALUES('460103','GR2009',1);
INSERT INTO program_courses VALUES('460103','GR3012',1);
INSERT INTO program_courses VALUES('460103','GR3013',1);
INSERT INTO program_courses VALUES('460103','GR3014',1);
INSERT INTO program_courses VALUES('460103','GR3015',1);
INSERT INTO program_courses VALUES('460103','GR3016',1);
INSERT INTO program_courses VALUES('460103','GR3017',1);
INSERT INTO program_courses VALUES('460103','GR4003',0);
INSERT INTO program_courses VALUES('460103','GR5001',1);
INSERT INTO program_courses VALUES('460103','GR5003',1);
INSERT INTO program_courses VALUES('460103','GR5005',1);
CREATE TABLE prerequisites (
  course_code TEXT NOT NULL,
  prerequisite_code TEXT NOT NULL,
  PRIMARY KEY (course_code, prerequisite_code)
);
INSERT INTO prerequisites VALUES('GR2003','GR2001');
INSERT INTO prerequisites VALUES('GR2008','GR2001');
INSERT INTO prerequisites VALUES('GR2006','GR2002');
INSERT INTO prerequisites VALUES('GR2007','GR2002');
INSERT INTO prerequisites VALUES('GR3001','GR2010');
INSERT INTO prerequisites VALUES('GR3002','GR3001');
INSERT INTO prerequisites VALUES('GR3002','GR2008');
INSERT INTO prerequisites VALUES('GR3003','GR2006');
INSERT INTO prerequisites VALUES('GR3004','GR3001');
INSERT INTO prerequisites VALUES('GR3004','GR3003');
INSERT INTO prerequisites VALUES('GR3005','GR3001');
INSERT INTO prerequisites VALUES('GR3006','GR3003');
INSERT INTO prerequisites VALUES('GR3007','GR3003');
INSERT INTO prerequisites VALUES('GR3007','GR2005 ');
INSERT INTO prerequisites VALUES('GR3008','GR2006');
INSERT INTO prerequisites VALUES('GR3009','GR2002');
INSERT INTO prerequisites VALUES('GR3010','GR3003');
INSERT INTO prerequisites VALUES('GR3011','GR2003');
INSERT INTO prerequisites VALUES('GR3012','GR2004');
INSERT INTO prerequisites VALUES('GR3012','GR2009');
INSERT INTO prerequisites VALUES('GR3013','GR3012');
INSERT INTO prerequisites VALUES('GR3014','GR2008');
INSERT INTO prerequisites VALUES('GR3014','GR3013');
INSERT INTO prerequisites VALUES('GR3015','GR3012');
INSERT INTO prerequisites VALUES('GR3015','GR2004');
INSERT INTO prerequisites VALUES('GR3016','GR3013');
INSERT INTO prerequisites VALUES('GR3017','GR2004');
INSERT INTO prerequisites VALUES('GR4001','GR3001');
INSERT INTO prerequisites VALUES('GR4002','GR2007');
INSERT INTO prerequisites VALUES('GR4003','GR3013');
INSERT INTO prerequisites VALUES('GR5002','GR3004');
INSERT INTO prerequisites VALUES('GR5002','GR3005');
INSERT INTO prerequisites VALUES('GR5003','GR3013');
INSERT INTO prerequisites VALUES('GR5004','GR3007');
INSERT INTO prerequisites VALUES('GR5004','GR3009');
CREATE TABLE learning_outcomes (
  course_code TEXT NOT NULL,
  seq INTEGER NOT NULL,
  outcome_zh TEXT,
  outcome_en TEXT,
  PRIMARY KEY (course_code, seq)
);
INSERT INTO learning_outcomes VALUES('GR1001',1,'能在实训车间按6S要求整理工位、规范摆放工量具。','Keep a workshop station in order according to 6S rules.');
INSERT INTO learning_outcomes VALUES('GR1001',2,'能说出生产现场常见危险源并正确穿戴劳动防护用品。','Identify common shop-floor hazards and wear personal protective equipment correctly.');
INSERT INTO learning_outcomes VALUES('GR1001',3,'能在小组劳动任务中分工协作并进行简要汇报。','Share work within a team on a practical task and report on it briefly.');
INSERT INTO learning_outcomes VALUES('GR2001',1,'能识读中等复杂程度的零件图和装配图。','Read part and assembly drawings of moderate complexity.');
INSERT INTO learning_outcomes VALUES('GR2001',2,'能用AutoCAD绘制符合国家标准的零件图。','Produce part drawings that comply with national drafting standards in AutoCAD.');
INSERT INTO learning_outcomes VALUES('GR2001',3,'能正确标注尺寸、表面粗糙度和基本公差。','Dimension a drawing with surface roughness and basic tolerances.');
INSERT INTO learning_outcomes VALUES('GR2002',1,'能分析简单直流、交流电路并计算电压、电流与功率。','Analyse simple DC and AC circuits and calculate voltage, current and power.');
INSERT INTO learning_outcomes VALUES('GR2002',2,'能识读简单电气原理图并使用万用表进行测量。','Read simple electrical schematics and take measurements with a multimeter.');
INSERT INTO learning_outcomes VALUES('GR2002',3,'能遵守安全用电规范进行实验操作。','Follow electrical safety rules in laboratory work.');
INSERT INTO learning_outcomes VALUES('GR2003',1,'能分析平面连杆机构、凸轮机构的运动特性。','Analyse the motion of planar linkages and cam mechanisms.');
INSERT INTO learning_outcomes VALUES('GR2003',2,'能完成齿轮传动、带传动的基本设计计算。','Carry out basic design calculations for gear and belt drives.');
INSERT INTO learning_outcomes VALUES('GR2003',3,'能根据工况选择轴承、联轴器等标准件。','Select bearings, couplings and other standard parts for given operating conditions.');
INSERT INTO learning_outcomes VALUES('GR2004',1,'能查表确定配合性质并正确标注尺寸公差。','Determine fits from standard tables and specify dimensional tolerances.');
INSERT INTO learning_outcomes VALUES('GR2004',2,'能识读并解释几何公差标注。','Read and interpret geometric tolerance callouts.');
INSERT INTO learning_outcomes VALUES('GR2004',3,'能使用游标卡尺、千分尺和百分表完成零件检测。','Inspect parts with vernier callipers, micrometers and dial indicators.');
INSERT INTO learning_outcomes VALUES('GR2005',1,'能识读液压与气动原理图并说明元件功能。','Read hydraulic and pneumatic circuit diagrams and explain each component.');
INSERT INTO learning_outcomes VALUES('GR2005',2,'能搭建并调试含电磁阀、气缸和真空吸盘的气动回路。','Build and adjust pneumatic circuits with solenoid valves, cylinders and vacuum cups.');
INSERT INTO learning_outcomes VALUES('GR2005',3,'能排查气动回路常见的泄漏与动作异常。','Find common leaks and motion faults in pneumatic circuits.');
INSERT INTO learning_outcomes VALUES('GR2006',1,'能识读电动机控制电路原理图与接线图。','Read motor control schematics and wiring diagrams.');
INSERT INTO learning_outcomes VALUES('GR2006',2,'能按图完成正反转、星三角降压启动控制线路的安装与调试。','Wire and commission forward/reverse and star-delta starter circuits from drawings.');
INSERT INTO learning_outcomes VALUES('GR2006',3,'能执行停电、验电等电气安全操作程序。','Apply isolation and voltage-check procedures before working on circuits.');
INSERT INTO learning_outcomes VALUES('GR2007',1,'能根据检测对象选择合适的接近开关与光电传感器。','Choose suitable proximity and photoelectric sensors for a detection task.');
INSERT INTO learning_outcomes VALUES('GR2007',2,'能完成传感器接线并在PLC中读取检测信号。','Wire sensors and read their signals in a PLC.');
INSERT INTO learning_outcomes VALUES('GR2007',3,'能说明工业相机、镜头与光源的基本组成。','Describe the basic components of an industrial camera, lens and lighting.');
INSERT INTO learning_outcomes VALUES('GR2008',1,'能用SolidWorks完成中等复杂零件的三维建模。','Model parts of moderate complexity in SolidWorks.');
INSERT INTO learning_outcomes VALUES('GR2008',2,'能完成部件装配建模并生成爆炸视图。','Build assembly models and generate exploded views.');
INSERT INTO learning_outcomes VALUES('GR2008',3,'能由三维模型生成符合标准的工程图。','Generate standard-compliant engineering drawings from 3D models.');
INSERT INTO learning_outcomes VALUES('GR2009',1,'能说明常用金属材料的性能及热处理目的。','Explain the properties of common metals and the purpose of heat treatment.');
INSERT INTO learning_outcomes VALUES('GR2009',2,'能根据工件材料选择刀具材料和切削用量。','Choose tool materials and cutting data for a given workpiece material.');
INSERT INTO learning_outcomes VALUES('GR2009',3,'能读懂简单零件的机械加工工艺过程卡。','Read the process sheet of a simple machined part.');
INSERT INTO learning_outcomes VALUES('GR2010',1,'能说明工业机器人本体、控制柜和示教器的组成与作用。','Describe the manipulator, controller and teach pendant and what each does.');
INSERT INTO learning_outcomes VALUES('GR2010',2,'能解释关节坐标、基坐标和工具坐标的含义。','Explain joint, base and tool coordinate systems.');
INSERT INTO learning_outcomes VALUES('GR2010',3,'能在教师指导下安全地手动操纵机器人。','Jog a robot safely under supervision.');
INSERT INTO learning_outcomes VALUES('GR3001',1,'能熟练使用示教器完成机器人手动操纵和程序管理。','Operate the teach pendant fluently for jogging and program management.');
INSERT INTO learning_outcomes VALUES('GR3001',2,'能标定工具坐标系和工件坐标系并验证精度。','Calibrate tool and work-object frames and verify their accuracy.');
INSERT INTO learning_outcomes VALUES('GR3001',3,'能编写包含运动、I/O和流程控制指令的机器人程序。','Write robot programs with motion, I/O and flow-control instructions.');
INSERT INTO learning_outcomes VALUES('GR3001',4,'能完成搬运、轨迹描绘等典型任务的示教编程。','Teach typical tasks such as pick-and-place and path following.');
INSERT INTO learning_outcomes VALUES('GR3002',1,'能在离线编程软件中导入三维模型并搭建机器人工作站。','Import 3D models and build a robot workcell in offline programming software.');
INSERT INTO learning_outcomes VALUES('GR3002',2,'能基于工件几何特征自动生成加工轨迹并优化姿态。','Generate paths from workpiece geometry and optimise tool orientation.');
INSERT INTO learning_outcomes VALUES('GR3002',3,'能进行节拍分析和碰撞检测。','Analyse cycle time and check for collisions.');
INSERT INTO learning_outcomes VALUES('GR3002',4,'能将离线程序下载到真实机器人并校准偏差。','Transfer offline programs to a real robot and correct deviations.');
INSERT INTO learning_outcomes VALUES('GR3003',1,'能完成S7-1200硬件组态和程序下载。','Configure S7-1200 hardware and download programs.');
INSERT INTO learning_outcomes VALUES('GR3003',2,'能用梯形图实现顺序控制与联锁。','Implement sequence control and interlocks in ladder logic.');
INSERT INTO learning_outcomes VALUES('GR3003',3,'能设计简单的触摸屏监控画面。','Design simple HMI monitoring screens.');
INSERT INTO learning_outcomes VALUES('GR3003',4,'能说明Modbus通信的基本原理。','Explain the basics of Modbus communication.');
INSERT INTO learning_outcomes VALUES('GR3004',1,'能完成工作站方案布局与主要设备选型。','Lay out a workcell and select its main equipment.');
INSERT INTO learning_outcomes VALUES('GR3004',2,'能完成机器人与PLC的信号交互和联调。','Set up and test signal exchange between robot and PLC.');
INSERT INTO learning_outcomes VALUES('GR3004',3,'能完成码垛工作站的垛型规划与程序调试。','Plan pallet patterns and debug a palletising program.');
INSERT INTO learning_outcomes VALUES('GR3004',4,'能说明安全围栏、安全光栅在工作站中的作用。','Explain the role of guards and light curtains in a workcell.');
INSERT INTO learning_outcomes VALUES('GR3005',1,'能按保养手册完成机器人定期保养。','Carry out scheduled robot maintenance according to the manual.');
INSERT INTO learning_outcomes VALUES('GR3005',2,'能根据报警信息定位常见故障并排除。','Locate and clear common faults from alarm messages.');
INSERT INTO learning_outcomes VALUES('GR3005',3,'能完成零点校准和转数计数器更新。','Perform zero-point calibration and revolution counter updates.');
INSERT INTO learning_outcomes VALUES('GR3005',4,'能说明RV减速器和谐波减速器的结构与维护要点。','Describe the structure and maintenance of RV and harmonic reducers.');
INSERT INTO learning_outcomes VALUES('GR3006',1,'能完成伺服驱动器接线与基本参数设置。','Wire a servo drive and set its basic parameters.');
INSERT INTO learning_outcomes VALUES('GR3006',2,'能用PLC实现伺服轴的点动、回零和定位控制。','Jog, home and position a servo axis from a PLC.');
INSERT INTO learning_outcomes VALUES('GR3006',3,'能根据运行状态调整伺服增益。','Adjust servo gains according to running behaviour.');
INSERT INTO learning_outcomes VALUES('GR3007',1,'能按图完成各工作单元的机械安装与气路连接。','Assemble the stations of a production line and connect their pneumatics from drawings.');
INSERT INTO learning_outcomes VALUES('GR3007',2,'能完成传感器、电磁阀的接线与调试。','Wire and test sensors and solenoid valves.');
INSERT INTO learning_outcomes VALUES('GR3007',3,'能实现多台PLC之间的通信与整线联调。','Link several PLCs and commission the whole line.');
INSERT INTO learning_outcomes VALUES('GR3008',1,'能运用逻辑分析法和替换法定位机电设备故障。','Locate faults in mechatronic equipment by logical analysis and substitution.');
INSERT INTO learning_outcomes VALUES('GR3008',2,'能完成电气元件、传动部件的更换与调整。','Replace and adjust electrical components and drive parts.');
INSERT INTO learning_outcomes VALUES('GR3008',3,'能规范填写设备维修记录。','Complete maintenance records properly.');
INSERT INTO learning_outcomes VALUES('GR3009',1,'能完成变频器的参数设置和多段速调速。','Set VFD parameters and run multi-speed control.');
INSERT INTO learning_outcomes VALUES('GR3009',2,'能通过PLC实现变频器的通信控制。','Control a VFD from a PLC over a network.');
INSERT INTO learning_outcomes VALUES('GR3009',3,'能完成交流伺服系统的基本调试。','Commission a basic AC servo system.');
INSERT INTO learning_outcomes VALUES('GR3010',1,'能用SCL编写功能块并实现数据处理。','Write SCL function blocks for data handling.');
INSERT INTO learning_outcomes VALUES('GR3010',2,'能完成触摸屏报警、配方和趋势画面组态。','Configure alarm, recipe and trend screens on an HMI.');
INSERT INTO learning_outcomes VALUES('GR3010',3,'能配置PROFIBUS-DP和以太网S7通信。','Configure PROFIBUS-DP and Ethernet S7 communication.');
INSERT INTO learning_outcomes VALUES('GR3011',1,'能按装配工艺完成齿轮、丝杠传动装置的装配。','Assemble gear and ball-screw drive units to the assembly process.');
INSERT INTO learning_outcomes VALUES('GR3011',2,'能使用百分表等量具完成装配精度检测与调整。','Check and adjust assembly accuracy with dial indicators.');
INSERT INTO learning_outcomes VALUES('GR3011',3,'能按机械安全要求安装防护装置。','Install guards according to machinery safety requirements.');
INSERT INTO learning_outcomes VALUES('GR3012',1,'能编写外圆、螺纹、槽类零件的数控车削程序。','Write CNC turning programs for diameters, threads and grooves.');
INSERT INTO learning_outcomes VALUES('GR3012',2,'能完成数控车床对刀和刀补设置。','Set tool offsets on a CNC lathe.');
INSERT INTO learning_outcomes VALUES('GR3012',3,'能加工并检测中等复杂程度的轴套类零件。','Machine and inspect shaft and sleeve parts of moderate complexity.');
INSERT INTO learning_outcomes VALUES('GR3013',1,'能编写平面、轮廓和型腔铣削程序。','Write milling programs for faces, contours and pockets.');
INSERT INTO learning_outcomes VALUES('GR3013',2,'能操作加工中心完成工件装夹、对刀和自动加工。','Set up workpieces, touch off tools and run a machining centre.');
INSERT INTO learning_outcomes VALUES('GR3013',3,'能根据加工质量调整刀具和切削参数。','Adjust tools and cutting data according to machining quality.');
INSERT INTO learning_outcomes VALUES('GR3014',1,'能完成复杂零件的三维造型。','Model complex parts in 3D.');
INSERT INTO learning_outcomes VALUES('GR3014',2,'能规划粗、精加工刀路并进行仿真验证。','Plan roughing and finishing toolpaths and verify them by simulation.');
INSERT INTO learning_outcomes VALUES('GR3014',3,'能后处理生成机床可用的数控程序。','Post-process toolpaths into machine-ready NC programs.');
INSERT INTO learning_outcomes VALUES('GR3015',1,'能编制典型零件的机械加工工艺过程卡和工序卡。','Prepare process and operation sheets for typical parts.');
INSERT INTO learning_outcomes VALUES('GR3015',2,'能合理选择定位基准并分析定位误差。','Choose datums and analyse locating errors.');
INSERT INTO learning_outcomes VALUES('GR3015',3,'能设计简单的车床、铣床专用夹具。','Design simple dedicated fixtures for lathes and mills.');
INSERT INTO learning_outcomes VALUES('GR3016',1,'能完成数控机床主要几何精度的检测。','Check the main geometric accuracies of a CNC machine tool.');
INSERT INTO learning_outcomes VALUES('GR3016',2,'能拆装和调整主轴、进给传动部件。','Dismantle, refit and adjust spindle and feed-drive units.');
INSERT INTO learning_outcomes VALUES('GR3016',3,'能根据报警信息排除数控系统常见故障。','Clear common CNC control faults from alarm information.');
INSERT INTO learning_outcomes VALUES('GR3017',1,'能按检验规范完成零件首件检验和过程检验。','Carry out first-article and in-process inspection to a specification.');
INSERT INTO learning_outcomes VALUES('GR3017',2,'能操作三坐标测量机完成零件测量。','Measure parts on a coordinate measuring machine.');
INSERT INTO learning_outcomes VALUES('GR3017',3,'能绘制控制图并计算过程能力指数。','Draw control charts and calculate process capability indices.');
INSERT INTO learning_outcomes VALUES('GR4001',1,'能说明弧焊机器人系统的组成。','Describe the components of an arc welding robot system.');
INSERT INTO learning_outcomes VALUES('GR4001',2,'能完成平板对接焊缝的示教编程。','Teach a butt weld on flat plate.');
INSERT INTO learning_outcomes VALUES('GR4002',1,'能根据检测需求选择相机、镜头和光源。','Select camera, lens and lighting for an inspection task.');
INSERT INTO learning_outcomes VALUES('GR4002',2,'能用视觉软件实现尺寸测量和缺陷检测。','Implement dimension measurement and defect detection in vision software.');
INSERT INTO learning_outcomes VALUES('GR4002',3,'能将检测结果通过I/O或通信发送给PLC。','Send inspection results to a PLC via I/O or communication.');
INSERT INTO learning_outcomes VALUES('GR4003',1,'能说明五轴机床的结构类型和RTCP功能。','Describe five-axis machine configurations and the RTCP function.');
INSERT INTO learning_outcomes VALUES('GR4003',2,'能用CAM软件编制多轴加工程序并仿真。','Program and simulate multi-axis operations in CAM software.');
INSERT INTO learning_outcomes VALUES('GR5001',1,'能使用钳工工具完成简单零件的制作。','Make simple parts with bench-work tools.');
INSERT INTO learning_outcomes VALUES('GR5001',2,'能完成简单部件的装配与检测。','Assemble and check a simple sub-assembly.');
INSERT INTO learning_outcomes VALUES('GR5001',3,'能遵守实训安全和6S管理要求。','Follow workshop safety and 6S rules.');
INSERT INTO learning_outcomes VALUES('GR5002',1,'能以小组形式完成工作站从安装到验收的全过程。','Take a workcell from installation to acceptance as a team.');
INSERT INTO learning_outcomes VALUES('GR5002',2,'能独立完成机器人程序的示教与优化。','Teach and optimise robot programs independently.');
INSERT INTO learning_outcomes VALUES('GR5002',3,'能诊断并排除工作站联调中出现的故障。','Diagnose and clear faults during workcell commissioning.');
INSERT INTO learning_outcomes VALUES('GR5002',4,'能按6S要求管理实训现场。','Manage the practice area according to 6S.');
INSERT INTO learning_outcomes VALUES('GR5003',1,'能独立完成组合件的数控车铣加工。','Machine a multi-part assembly on CNC lathes and mills independently.');
INSERT INTO learning_outcomes VALUES('GR5003',2,'能对加工零件进行检测并出具检测记录。','Inspect machined parts and record results.');
INSERT INTO learning_outcomes VALUES('GR5003',3,'能按6S要求保养机床和整理现场。','Maintain machines and the workplace according to 6S.');
INSERT INTO learning_outcomes VALUES('GR5004',1,'能完成智能制造单元的PLC编程与整机联调。','Program the PLCs of a smart manufacturing cell and commission it.');
INSERT INTO learning_outcomes VALUES('GR5004',2,'能在MES中下达工单并查看设备状态。','Release work orders in an MES and check equipment status.');
INSERT INTO learning_outcomes VALUES('GR5004',3,'能采集设备运行数据并上传至平台。','Collect machine data and upload it to a platform.');
INSERT INTO learning_outcomes VALUES('GR5005',1,'能遵守企业规章制度和安全生产要求。','Comply with company rules and safety requirements.');
INSERT INTO learning_outcomes VALUES('GR5005',2,'能在企业导师指导下完成岗位生产任务。','Complete real production tasks under a company mentor.');
INSERT INTO learning_outcomes VALUES('GR5005',3,'能撰写岗位实习报告并进行答辩。','Write and defend an internship report.');
COMMIT;

"""教管 jiaoguan: the platform a county Education Bureau runs its year on."""
